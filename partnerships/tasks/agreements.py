"""The agreement's background work: each school's blank copy made after a version is published, and the
signed copy sealed once its last signature is in. Both are idempotent, so a sweep may run them again."""

from celery import shared_task

from config.celery import TenantTask
from partnerships.models import AgreementCopy, AgreementVersion, Partnership
from partnerships.services.signing import agreement_copies_make, agreement_copy_seal


@shared_task(base=TenantTask, bind=True)
def make_agreement_copies(self, *, version_id: int, partnership_id: int) -> int:
    version = AgreementVersion.objects.select_related("partnership").get(pk=version_id)
    return len(agreement_copies_make(version=version))


@shared_task(base=TenantTask, bind=True)
def seal_agreement_copy(self, *, copy_id: int, partnership_id: int) -> str:
    copy = AgreementCopy.objects.select_related("version__partnership", "school").get(pk=copy_id)
    return agreement_copy_seal(copy=copy).status


@shared_task(base=TenantTask, bind=True)
def finish_agreement_copies(self, *, partnership_id: int) -> None:
    """Make any copy the version in force still lacks (the broker was down at publishing, or a school
    joined the version's members) and seal any copy whose last signature is in but which is unsealed."""
    for version in AgreementVersion.objects.filter(status=AgreementVersion.Status.PUBLISHED).select_related(
        "partnership"
    ):
        agreement_copies_make(version=version)
    for copy in AgreementCopy.objects.filter(status=AgreementCopy.Status.AWAITING).select_related(
        "version__partnership", "school"
    ):
        agreement_copy_seal(copy=copy)


@shared_task
def finish_agreement_copies_everywhere() -> int:
    """For celery beat, hourly: one run per partnership that is not closed."""
    ids = list(Partnership.objects.exclude(status=Partnership.Status.CLOSED).values_list("pk", flat=True))
    for partnership_id in ids:
        finish_agreement_copies.delay(partnership_id=partnership_id)
    return len(ids)
