"""The Joint Annual Review: each term the school's adviser drafts it (autumn: achievement against
targets; spring: provision; summer: leadership) and sends it to the headteacher, who confirms it or
returns it with comments; the adviser revises and sends again; only a confirmed review is submitted.
Each change of state is kept as a ReviewEvent."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.outbox import outbox_enqueue
from partnerships.calendar import academic_year_label
from partnerships.models import Partnership, RoleAssignment
from partnerships.roles import Role
from partnerships.selectors.permissions import holds_role, school_permissions
from schools.models import School
from subscriptions.models import Review, ReviewEvent

S = Review.State
EDITABLE = (S.DRAFT, S.RETURNED)


def _move(actor, review: Review, to: str, action: AuditAction, summary: str, comment: str = "") -> Review:
    before = review.state
    review.state = to
    review.updated_at = timezone.now()
    review.save()
    ReviewEvent.objects.create(review=review, from_state=before, to_state=to, by=actor, comment=comment)
    _tell(review, to, comment)
    audit_record(
        subject=review,
        actor=actor,
        partnership=review.partnership,
        action=action,
        summary=f"{summary}: {review.school.name}, {review.get_term_display()} {academic_year_label(review.year)}",
        data={"review": review.pk, "school": review.school_id, "from": before, "to": to},
    )
    return review


def _tell(review: Review, to: str, comment: str) -> None:
    """Whoever acts next is told: the headteacher when a review is sent to them; the adviser when it is
    returned or confirmed. Each change of state is its own message (the outbox's version)."""
    if to == S.SENT:
        with scopes_disabled():
            readers = [
                a.user
                for a in RoleAssignment.objects.filter(
                    partnership=review.partnership, school=review.school, role=Role.HEADTEACHER
                )
                .active()
                .select_related("user")
            ]
    elif to in (S.RETURNED, S.CONFIRMED):
        readers = [review.adviser]
    else:
        return
    url = settings.SITE_URL + reverse(
        "subscriptions:review", kwargs={"partnership_slug": review.partnership.slug, "review_pk": review.pk}
    )
    label = f"{review.get_term_display()} {academic_year_label(review.year)}"
    subjects = {
        S.SENT: f"Please confirm {review.school.name}'s Joint Annual Review, {label}",
        S.RETURNED: f"{review.school.name}'s Joint Annual Review, {label}, was returned with comments",
        S.CONFIRMED: f"{review.school.name}'s Joint Annual Review, {label}, is confirmed: submit it",
    }
    version = ReviewEvent.objects.filter(review=review).count()
    for reader in readers:
        outbox_enqueue(
            about=f"review:{review.pk}",
            kind=f"review.{to}",
            version=version,
            recipient=reader.email,
            template="subscriptions/email/review_update",
            context={"reader": reader, "review": review, "state": to, "comment": comment, "url": url, "label": label},
            subject=subjects[to],
        )


def _must_advise(actor: User, partnership: Partnership, school: School, field: str | None = None) -> None:
    if "advise_school" not in school_permissions(actor, partnership, school):
        message = f"Only the adviser of {school.name} drafts, sends and submits its Joint Annual Review"
        raise ValidationError({field: message} if field else message)


def _must_be_head(actor: User, review: Review, doing: str) -> None:
    if not holds_role(actor, review.partnership_id, Role.HEADTEACHER, review.school_id):
        raise ValidationError(f"Only the headteacher of {review.school.name} {doing} its Joint Annual Review")


def _content_errors(summary: str) -> dict:
    return {} if summary.strip() else {"summary": "Enter the review of the term"}


@transaction.atomic
def review_draft(
    *,
    actor: User,
    partnership: Partnership,
    school: School,
    year: int,
    term: str,
    summary: str,
    ks1: str = "",
    ks2: str = "",
    ks4: str = "",
    ks5: str = "",
) -> Review:
    """The school's adviser drafts the term's review."""
    _must_advise(actor, partnership, school, "school")
    errors = _content_errors(summary)
    if term not in Review.Term.values:
        errors["term"] = "Choose the term"
    elif Review.objects.filter(partnership=partnership, school=school, year=year, term=term).exists():
        label = Review.Term(term).label.split(":")[0]
        errors["term"] = (
            f"{school.name} already has a review for the {label.lower()} term of {academic_year_label(year)}"
        )
    if errors:
        raise ValidationError(errors)
    review = Review.objects.create(
        partnership=partnership,
        school=school,
        adviser=actor,
        year=year,
        term=term,
        summary=summary.strip(),
        ks1=ks1.strip(),
        ks2=ks2.strip(),
        ks4=ks4.strip(),
        ks5=ks5.strip(),
    )
    ReviewEvent.objects.create(review=review, from_state="", to_state=S.DRAFT, by=actor)
    audit_record(
        subject=review,
        actor=actor,
        partnership=partnership,
        action=AuditAction.REVIEW_DRAFTED,
        summary=f"Joint Annual Review drafted: {school.name}, {review.get_term_display()} {academic_year_label(year)}",
        data={"review": review.pk, "school": school.pk},
    )
    return review


@transaction.atomic
def review_revise(
    *, actor: User, review: Review, summary: str, ks1: str = "", ks2: str = "", ks4: str = "", ks5: str = ""
) -> Review:
    """The adviser revises a draft, or a review the headteacher returned."""
    _must_advise(actor, review.partnership, review.school)
    if review.state not in EDITABLE:
        raise ValidationError(f"This review is {review.get_state_display().lower()}: it can no longer be changed")
    if errors := _content_errors(summary):
        raise ValidationError(errors)
    review.summary, review.ks1, review.ks2, review.ks4, review.ks5 = (
        summary.strip(),
        ks1.strip(),
        ks2.strip(),
        ks4.strip(),
        ks5.strip(),
    )
    review.updated_at = timezone.now()
    review.save()
    audit_record(
        subject=review,
        actor=actor,
        partnership=review.partnership,
        action=AuditAction.REVIEW_DRAFTED,
        summary=f"Joint Annual Review revised: {review.school.name}",
        data={"review": review.pk, "school": review.school_id},
    )
    return review


@transaction.atomic
def review_send(*, actor: User, review: Review) -> Review:
    """The adviser sends the draft (or the revised review) to the headteacher."""
    _must_advise(actor, review.partnership, review.school)
    if review.state not in EDITABLE:
        raise ValidationError(
            f"This review is {review.get_state_display().lower()}: only a draft or a returned review is sent"
        )
    return _move(actor, review, S.SENT, AuditAction.REVIEW_SENT, "Joint Annual Review sent to the headteacher")


@transaction.atomic
def review_confirm(*, actor: User, review: Review) -> Review:
    """The school's headteacher confirms the review sent to them."""
    _must_be_head(actor, review, "confirms")
    if review.state != S.SENT:
        raise ValidationError(
            f"This review is {review.get_state_display().lower()}: only a review sent to you is confirmed"
        )
    return _move(actor, review, S.CONFIRMED, AuditAction.REVIEW_CONFIRMED, "Joint Annual Review confirmed")


@transaction.atomic
def review_return(*, actor: User, review: Review, comments: str) -> Review:
    """The school's headteacher returns the review to the adviser, saying what should change."""
    _must_be_head(actor, review, "returns")
    if not comments.strip():
        raise ValidationError({"comments": "Enter what the adviser should change"})
    if review.state != S.SENT:
        raise ValidationError(
            f"This review is {review.get_state_display().lower()}: only a review sent to you is returned"
        )
    review.head_comments = comments.strip()
    return _move(
        actor, review, S.RETURNED, AuditAction.REVIEW_RETURNED, "Joint Annual Review returned", comments.strip()
    )


@transaction.atomic
def review_submit(*, actor: User, review: Review) -> Review:
    """The adviser submits the review the headteacher confirmed; an unconfirmed one is refused."""
    _must_advise(actor, review.partnership, review.school)
    if review.state != S.CONFIRMED:
        raise ValidationError(
            f"This review is {review.get_state_display().lower()}: "
            "only a review the headteacher has confirmed is submitted"
        )
    return _move(actor, review, S.SUBMITTED, AuditAction.REVIEW_SUBMITTED, "Joint Annual Review submitted")


@transaction.atomic
def review_read(*, actor: User, review: Review) -> Review:
    """Record that `actor` read the review (the page checks they may, with may_read_review): a review is
    confidential to the school, so every reading is in the audit trail."""
    audit_record(
        subject=review,
        actor=actor,
        action=AuditAction.REVIEW_READ,
        partnership=review.partnership,
        summary=f"Joint Annual Review read: {review.school.name}, {review.get_term_display()} "
        f"{academic_year_label(review.year)}",
        data={"review": review.pk, "school": review.school_id, "state": review.state},
    )
    return review
