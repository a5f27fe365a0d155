import datetime

from celery import shared_task
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import User


@shared_task
def sync_lapsed_roles() -> int:
    """Hourly: withdraw the permissions of roles whose end date has come, and grant those that start today.

    This crosses partnerships on purpose (it is the platform's housekeeping, not a tenant's work);
    it only recomputes each person's own permissions from their own roles.
    """
    from partnerships.models import RoleAssignment
    from partnerships.services import sync_user_permissions

    today = timezone.localdate()
    with scopes_disabled():
        user_ids = set(
            RoleAssignment.objects.filter(
                end__lte=today, end__gte=today - datetime.timedelta(days=2)
            ).values_list("user_id", flat=True)
        ) | set(
            RoleAssignment.objects.filter(
                start__lte=today, start__gte=today - datetime.timedelta(days=2)
            ).values_list("user_id", flat=True)
        )
    for user in User.objects.filter(pk__in=user_ids):
        sync_user_permissions(user)
    return len(user_ids)
