"""The agreement's background work: each school's blank copy made after a version is published, the
signed copy sealed once its last signature is in, and the daily reminders (to sign, and that the
agreement ends soon). All are idempotent, so a sweep may run them again."""

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from config.celery import TenantTask
from core.dates import date_label
from core.outbox import outbox_enqueue
from partnerships.models import AgreementCopy, AgreementReminder, AgreementVersion, Partnership
from partnerships.selectors.reminders import expiry_reminders_due, sign_reminders_due
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


# --- Reminders ---------------------------------------------------------------------------------------
# As partnerships.tasks.interests: who is due is read by partnerships.selectors.reminders; each reminder
# is an AgreementReminder row (version, person, kind, day), unique in the database, written in one
# transaction with its outbox message and an audit row, so a run that is repeated (the same day, or
# two at once) sends nothing twice, and the outbox keeps trying while SMTP is down.


def _copy_url(partnership: Partnership, copy: AgreementCopy) -> str:
    return settings.SITE_URL + reverse(
        "agreement:copy", kwargs={"partnership_slug": partnership.slug, "copy_pk": copy.pk}
    )


@shared_task(base=TenantTask, bind=True)
def remind_agreement_signatories(self, *, partnership_id: int) -> int:
    """Email each signatory with copies still to sign who is due a reminder (at most one a week), one
    message listing all their copies; returns how many were reminded."""
    partnership = Partnership.objects.get(pk=partnership_id)
    today = timezone.localdate()
    sent = 0
    for due in sign_reminders_due(partnership, today):
        version = due.version
        with transaction.atomic():
            # Two runs at once: the second insert waits on the unique constraint, then finds the row.
            _, created = AgreementReminder.objects.get_or_create(
                version=version, user=due.user, kind=AgreementReminder.Kind.SIGN, day=today
            )
            if not created:
                continue
            schools = ", ".join(copy.school.name for copy in due.copies)
            audit_record(
                subject=version,
                actor=None,
                partnership=partnership,
                action=AuditAction.AGREEMENT_REMINDED,
                summary=f"{due.user} reminded to sign version {version.number} for {schools}",
                data={
                    "version": version.pk,
                    "number": version.number,
                    "user": due.user.pk,
                    "copies": [copy.pk for copy in due.copies],
                    "day": today.isoformat(),
                },
            )
            outbox_enqueue(
                about=f"agreement-reminder:{version.pk}:{today.isoformat()}",
                kind="agreement.sign_reminder",
                recipient=due.user.email,
                template="partnerships/email/agreement_sign_reminder",
                context={
                    "user": due.user,
                    "version": version,
                    "partnership": partnership,
                    "copies": [(copy, _copy_url(partnership, copy)) for copy in due.copies],
                },
                subject=f"Reminder: please sign version {version.number} of the {partnership.name} agreement",
            )
        sent += 1
    return sent


def _expiry_links(partnership: Partnership, due) -> tuple[str, str]:
    """Where the email sends its reader, and the words of the link: the renewal to carry on with, the
    renew page, or (for whoever does not renew it) the agreement."""
    slug = partnership.slug
    if due.may_renew and due.successors.draft is not None:
        url = reverse("agreement:version", kwargs={"partnership_slug": slug, "version_pk": due.successors.draft.pk})
        return settings.SITE_URL + url, f"Carry on with version {due.successors.draft.number}"
    if due.may_renew and due.successors.published is None:
        url = reverse("agreement:renew", kwargs={"partnership_slug": slug, "version_pk": due.version.pk})
        return settings.SITE_URL + url, "Renew the agreement"
    return settings.SITE_URL + reverse("agreement:current", kwargs={"partnership_slug": slug}), "Read the agreement"


@shared_task(base=TenantTask, bind=True)
def remind_agreement_expiry(self, *, partnership_id: int) -> int:
    """Tell the coordinator and the chair that the agreement in force ends in three months, then in one
    month, once each per version; returns how many were told."""
    partnership = Partnership.objects.get(pk=partnership_id)
    today = timezone.localdate()
    sent = 0
    for due in expiry_reminders_due(partnership, today):
        version = due.version
        kind = AgreementReminder.Kind(due.kind)
        with transaction.atomic():
            _, created = AgreementReminder.objects.get_or_create(version=version, user=due.user, kind=kind, day=today)
            if not created:
                continue
            audit_record(
                subject=version,
                actor=None,
                partnership=partnership,
                action=AuditAction.AGREEMENT_EXPIRY_REMINDED,
                summary=f"{due.user} told that version {version.number} ends on {date_label(version.ends)}",
                data={
                    "version": version.pk,
                    "number": version.number,
                    "user": due.user.pk,
                    "kind": kind.value,
                    "day": today.isoformat(),
                },
            )
            url, link_text = _expiry_links(partnership, due)
            when = "in one month" if kind == AgreementReminder.Kind.EXPIRES_IN_1_MONTH else "in three months"
            outbox_enqueue(
                about=f"agreement-expiry:{version.pk}:{kind.value}",
                kind="agreement.expiry_reminder",
                recipient=due.user.email,
                template="partnerships/email/agreement_expiry_reminder",
                context={
                    "user": due.user,
                    "version": version,
                    "partnership": partnership,
                    "when": when,
                    "draft": due.successors.draft,
                    "next_version": due.successors.published,
                    "may_renew": due.may_renew,
                    "url": url,
                    "link_text": link_text,
                },
                subject=f"The {partnership.name} agreement ends on {date_label(version.ends)}",
            )
        sent += 1
    return sent


@shared_task
def send_agreement_reminders_everywhere() -> int:
    """For celery beat, daily: the signatories' and the expiry reminders of each partnership that is not
    closed, each run in its own partnership's scope."""
    ids = list(Partnership.objects.exclude(status=Partnership.Status.CLOSED).values_list("pk", flat=True))
    for partnership_id in ids:
        remind_agreement_signatories.delay(partnership_id=partnership_id)
        remind_agreement_expiry.delay(partnership_id=partnership_id)
    return len(ids)
