"""The Celery app. Tasks take ids, never model instances, and TenantTask re-enters the tenant scope."""

import os

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("commonroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class TenantTask(Task):
    """A task that works inside one partnership. Call it with partnership_id=<pk> as a keyword.

    The scope is entered here so that a task can never read across tenants, as a view cannot.
    """

    abstract = True

    def __call__(self, *args, **kwargs):
        from django_scopes import scope

        from partnerships.models import Partnership

        partnership_id = kwargs.get("partnership_id")
        if partnership_id is None:
            raise TypeError(f"{self.name} needs partnership_id as a keyword argument")
        partnership = Partnership.objects.get(pk=partnership_id)
        with scope(partnership=partnership):
            return super().__call__(*args, **kwargs)
