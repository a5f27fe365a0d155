"""The partnership's background work, one module per part. Celery's autodiscovery imports this
package; importing each module here registers its tasks with the worker."""

from partnerships.tasks import agreements, interests, invitations, terms  # noqa: F401
