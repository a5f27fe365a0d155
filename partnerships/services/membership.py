"""A school's membership of a partnership: joining, formal written notice to leave, withdrawal notes.

The leaving date follows from the constitution's notice rule and the partnership's own term dates;
see leaving_date() for how the rule is read.
"""

import datetime
import math
import os
import zipfile
from collections.abc import Sequence
from typing import Protocol

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import date_label, ended_q, has_ended, in_force
from partnerships.calendar import academic_year_of, financial_year_of
from partnerships.models import Constitution, LeavingNotice, Membership, Partnership
from partnerships.selectors.constitution import constitution_of
from partnerships.selectors.terms import term_label, terms_for_years
from schools.models import School

MAX_LETTER_BYTES = 10 * 1024 * 1024
# Each allowed extension and the check its first bytes must pass.
LETTER_TYPES = {
    ".pdf": "PDF",
    ".doc": "Word",
    ".docx": "Word",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".png": "PNG",
}
LETTER_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
LETTER_REQUIRED = "Select the signed letter to attach. If the notice came by email, choose email instead"


class TermLike(Protocol):
    starts: datetime.date
    ends: datetime.date


def leaving_date(*, received_on: datetime.date, terms: Sequence[TermLike], notice_terms: int) -> datetime.date:
    """The last day of membership for a school whose written notice arrives on `received_on`.

    `terms` are the partnership's terms in date order, reaching far enough past `received_on`.
    Our reading of "N terms' notice" (Heart of Manchester: "a term's notice is required"):

    - Notice that arrives during a term T (from its first to its last day, half-term included) runs
      through the N terms that follow T: the school leaves on the last day of the Nth term after T.
      One term's notice given in the autumn term ends on the last day of the spring term; notice
      given on the last day of the autumn term counts as given in the autumn term (the same).
    - Notice that arrives in a holiday is not "in" any term: the first term to start after it is the
      first term of notice, so with one term's notice the school leaves at the end of that term.
      Notice given in the summer holiday ends on the last day of the autumn term; notice given in
      the Christmas holiday ends, like notice given in the autumn term, at the end of the spring term.
    - No notice (N = 0): the end of the current term, or the day the notice arrives in a holiday.

    Raises ValueError when `terms` do not reach far enough.
    """
    if notice_terms < 0:
        raise ValueError("notice_terms cannot be negative")
    # The current term, if any, then later ones.
    upcoming = [term for term in terms if not has_ended(term.ends, received_on)]
    if not upcoming:
        raise ValueError("No term on or after the day the notice was received")
    in_term = upcoming[0].starts <= received_on
    if notice_terms == 0:
        return upcoming[0].ends if in_term else received_on
    index = notice_terms if in_term else notice_terms - 1
    if index >= len(upcoming):
        raise ValueError("The terms given do not reach the end of the notice")
    return upcoming[index].ends


def letter_validate(letter: UploadedFile) -> None:
    """A letter of notice must be a PDF, Word document or image (JPEG or PNG) of at most 10 MB.

    The type is checked twice: by the file's extension and by its first bytes (so a renamed
    program or web page is refused even when it is called letter.pdf)."""
    name = os.path.basename(letter.name or "")
    extension = os.path.splitext(name)[1].lower()
    if extension not in LETTER_TYPES:
        raise ValidationError(
            {"letter": "The letter must be a PDF, a Word document (DOC or DOCX) or an image (JPG or PNG)"}
        )
    if letter.size is not None and letter.size > MAX_LETTER_BYTES:
        raise ValidationError({"letter": "The letter must be smaller than 10 MB"})
    if not letter.size:
        raise ValidationError({"letter": "The selected file is empty"})
    letter.seek(0)
    head = letter.read(16)
    letter.seek(0)
    kind = LETTER_TYPES[extension]
    ok = {
        "PDF": head.startswith(b"%PDF-"),
        "JPEG": head.startswith(b"\xff\xd8\xff"),
        "PNG": head.startswith(b"\x89PNG\r\n\x1a\n"),
        "Word": (extension == ".doc" and head.startswith(_OLE2))
        or (extension == ".docx" and head.startswith(b"PK\x03\x04") and _is_docx(letter)),
    }[kind]
    if not ok:
        raise ValidationError(
            {"letter": f"The file is called {extension[1:].upper()} but is not a {kind} file: choose the letter itself"}
        )


def _is_docx(letter: UploadedFile) -> bool:
    try:
        with zipfile.ZipFile(letter) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        letter.seek(0)


def refund_statement(*, partnership: Partnership, constitution: Constitution, school: School, leaving_on) -> str:
    """The partnership's rule on a leaver's contribution, in a sentence (no money is worked out yet)."""
    year = financial_year_of(leaving_on)
    year_label = f"{year}-{str(year + 1)[-2:]}"
    holder = ""
    if constitution.banker_school_id and constitution.banker_school_id != school.pk:
        holder = f" {constitution.banker_school.name}, the banker school, keeps it for the partnership."
    if constitution.leaver_contribution_refunded is None:
        return (
            f"{partnership.name}'s agreement does not say whether a leaving school's contribution is refunded: "
            f"agree what happens to {school.name}'s contribution for the {year_label} financial year."
        )
    if constitution.leaver_contribution_refunded:
        return (
            f"{partnership.name} refunds a leaving school's contribution: {school.name}'s contribution for "
            f"the {year_label} financial year is to be refunded."
        )
    return (
        f"{partnership.name} does not refund contributions: {school.name}'s contribution for the "
        f"{year_label} financial year is not refunded.{holder}"
    )


@transaction.atomic
def membership_join(
    *,
    actor: User,
    partnership: Partnership,
    school: School,
    joined: datetime.date,
    approved_on: datetime.date,
    approval_reference: str,
    today: datetime.date | None = None,
) -> Membership:
    """A school joins, on the strategic group's recorded decision. It cannot join before the decision,
    the decision cannot be in the future, and a school cannot join while it is still a member."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    approval_reference = (approval_reference or "").strip()
    if approved_on > today:
        errors["approved_on"] = "The date of the strategic group's decision cannot be in the future"
    if joined < approved_on:
        errors["joined"] = f"The school cannot join before the strategic group approved it on {date_label(approved_on)}"
    if not approval_reference:
        errors["approval_reference"] = "Enter where the decision is recorded, for example the meeting and minute"
    elif len(approval_reference) > 200:
        errors["approval_reference"] = "The approval reference must be 200 characters or fewer"
    with scope(partnership=partnership):
        # Lock the school's memberships so two coordinators cannot add it twice at once.
        overlapping = (
            Membership.objects.select_for_update()
            .filter(partnership=partnership, school=school)
            .exclude(ended_q(joined, end="left"))
            .order_by("joined")
            .first()
        )
        if overlapping is not None:
            if overlapping.left is None:
                errors["school"] = f"{school.name} is already a member, since {date_label(overlapping.joined)}"
            else:
                errors["school"] = (
                    f"{school.name} is a member until {date_label(overlapping.left)}: it can join again after that"
                )
        if errors:
            raise ValidationError(errors)
        membership = Membership.objects.create(
            partnership=partnership,
            school=school,
            joined=joined,
            approved_on=approved_on,
            approval_reference=approval_reference,
        )
    audit_record(
        subject=membership,
        actor=actor,
        partnership=partnership,
        action=AuditAction.MEMBERSHIP_JOINED,
        summary=f"{school.name} joined on {date_label(joined)} (approved {date_label(approved_on)})",
        data={
            "membership": membership.pk,
            "school": school.urn,
            "joined": joined.isoformat(),
            "approved_on": approved_on.isoformat(),
            "approval_reference": approval_reference,
        },
    )
    return membership


@transaction.atomic
def leaving_notice_record(
    *,
    actor: User,
    membership: Membership,
    received_on: datetime.date,
    method: str,
    given_by: str,
    letter: UploadedFile | None = None,
    notes: str = "",
    leaving_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> LeavingNotice:
    """Record a school's formal written notice to leave and set its leaving date from the rule.

    `method` is how the notice was given (LeavingNotice.Method): a letter must be attached; an
    email's copy may be. Notice from the banker school is recorded like any other, and the audit row
    says it came from the banker school (the notice page and the coordinator's dashboard then warn,
    through selectors.constitution.banker_departure, that a new banker school must be chosen).
    The leaving date is the school's last day as a member (Membership.left), worked out by
    leaving_date() from the constitution's leaving_notice_terms and the partnership's term dates.
    Where the agreement sets no notice period, nothing is worked out: the leaving date is `leaving_on`,
    the date the school and the partnership agree, or without one the day the notice arrived.
    The constitution's rule on refunding the leaver's contribution is stated in the audit data.
    """
    today = today or timezone.localdate()
    partnership = membership.partnership
    with scope(partnership=partnership):
        membership = Membership.objects.select_for_update(of=("self",)).select_related("school").get(pk=membership.pk)
        school = membership.school
        given_by = (given_by or "").strip()
        notes = (notes or "").strip()
        errors: dict[str, str] = {}
        if received_on > today:
            errors["received_on"] = "The date the notice was received cannot be in the future"
        elif received_on < membership.joined:
            errors["received_on"] = (
                f"The notice cannot have been received before {school.name} joined on {date_label(membership.joined)}"
            )
        if method not in LeavingNotice.Method.values:
            errors["method"] = "Select how the notice was given: by letter or by email"
        if not given_by:
            errors["given_by"] = "Enter who the notice is from"
        elif len(given_by) > 150:
            errors["given_by"] = "Who the notice is from must be 150 characters or fewer"
        if len(notes) > 5000:
            errors["notes"] = "The notes must be 5000 characters or fewer"
        if letter is not None:
            try:
                letter_validate(letter)
            except ValidationError as error:
                errors.update({k: v[0] for k, v in error.message_dict.items()})
        elif method == LeavingNotice.Method.LETTER:
            errors["letter"] = LETTER_REQUIRED
        earlier = membership.notices.order_by("-received_on").first()
        if earlier is not None:
            errors["__all__"] = (
                f"{school.name} already gave notice, received on {date_label(earlier.received_on)}: "
                f"it leaves on {date_label(earlier.leaving_on)}"
            )
        elif has_ended(membership.left, today):
            errors["__all__"] = f"{school.name} already left the partnership on {date_label(membership.left)}"
        elif membership.left is not None:
            errors["__all__"] = f"{school.name} is already due to leave on {date_label(membership.left)}"
        constitution = constitution_of(partnership)
        notice_terms = constitution.leaving_notice_terms
        first_year = academic_year_of(received_on)
        if notice_terms is None:  # the agreement sets no notice period: the date agreed, never a default one
            terms = terms_for_years(partnership, first_year, first_year + 1)
            leaves = leaving_on or received_on
            if leaves < received_on:
                errors["leaving_on"] = "The leaving date must be the same as or after the date the notice was received"
        if errors:
            raise ValidationError(errors)
        if notice_terms is not None:
            terms = terms_for_years(partnership, first_year, first_year + 1 + math.ceil(notice_terms / 3))
            leaves = leaving_date(received_on=received_on, terms=terms, notice_terms=notice_terms)
        arrived_in = next((t for t in terms if in_force(t.starts, t.ends, received_on)), None)
        notice = LeavingNotice(
            partnership=partnership,
            membership=membership,
            received_on=received_on,
            method=method,
            given_by=given_by,
            leaving_on=leaves,
            notes=notes,
            recorded_by=actor,
        )
        if letter is not None:
            extension = os.path.splitext(letter.name)[1].lower()
            notice.letter.save(f"notice-{school.urn}-{received_on.isoformat()}{extension}", letter, save=False)
        notice.save()
        membership.left = leaves
        membership.save(update_fields=["left"])
        statement = refund_statement(
            partnership=partnership, constitution=constitution, school=school, leaving_on=leaves
        )
        is_banker = constitution.banker_school_id == school.pk
    audit_record(
        subject=membership,
        actor=actor,
        partnership=partnership,
        action=AuditAction.MEMBERSHIP_NOTICE_RECEIVED,
        summary=(
            f"{school.name} gave notice by {notice.get_method_display().lower()} on {date_label(received_on)} "
            f"and leaves on {date_label(leaves)}"
            + (": it is the banker school, so a new banker school must be chosen" if is_banker else "")
        ),
        data={
            "notice": notice.pk,
            "membership": membership.pk,
            "school": school.urn,
            "received_on": received_on.isoformat(),
            "method": method,
            "given_by": given_by,
            "leaving_on": leaves.isoformat(),
            "banker_school": is_banker,
            "notice_terms": notice_terms,
            "received_in_term": term_label(arrived_in) if arrived_in else "holiday",
            "letter": notice.letter.name or None,
            "leaver_contribution_refunded": constitution.leaver_contribution_refunded,
            "financial_year": financial_year_of(leaves),
            "refund_rule": statement,
        },
    )
    return notice


def notice_explanation(*, notice: LeavingNotice, terms: Sequence, notice_rule: bool = True) -> str:
    """How the leaving date follows from the day the notice arrived, in a sentence, for the notice's page.

    Worked out again from the term dates (the notice period is the number of terms between), so it
    stays true if the constitution's notice period changes later."""
    received, leaves = notice.received_on, notice.leaving_on
    arrived_in = next((t for t in terms if in_force(t.starts, t.ends, received)), None)
    ending = next((t for t in terms if t.ends == leaves), None)
    where = f"during the {term_label(arrived_in).lower()}" if arrived_in else "in a school holiday"
    school = notice.membership.school.name
    if not notice_rule:
        return (
            f"The notice arrived {where}. The agreement sets no notice period: {school} leaves on "
            f"{date_label(leaves)}, the leaving date recorded with the notice."
        )
    if ending is None:
        return f"The notice arrived {where}. {school} leaves on {date_label(leaves)}."
    count = len([t for t in terms if received <= t.ends <= leaves]) - (1 if arrived_in else 0)
    length = "one term's" if count == 1 else f"{count} terms'"
    return (
        f"The notice arrived {where}. With {length} notice, {school} leaves at the end of the "
        f"{term_label(ending).lower()}, on {date_label(leaves)}."
    )


@transaction.atomic
def membership_update_notes(*, actor: User, membership: Membership, withdrawal_notes: str) -> Membership:
    """Keep notes on a school's withdrawal (conversations, the strategic group's follow-up)."""
    withdrawal_notes = (withdrawal_notes or "").strip()
    if len(withdrawal_notes) > 5000:
        raise ValidationError({"withdrawal_notes": "The withdrawal notes must be 5000 characters or fewer"})
    with scope(partnership=membership.partnership):
        membership = Membership.objects.select_for_update(of=("self",)).select_related("school").get(pk=membership.pk)
        if membership.withdrawal_notes == withdrawal_notes:
            return membership
        old = membership.withdrawal_notes
        membership.withdrawal_notes = withdrawal_notes
        membership.save(update_fields=["withdrawal_notes"])
    audit_record(
        subject=membership,
        actor=actor,
        partnership=membership.partnership,
        action=AuditAction.MEMBERSHIP_NOTES_CHANGED,
        summary=f"Withdrawal notes for {membership.school.name} changed",
        data={"membership": membership.pk, "school": membership.school.urn, "old": old, "new": withdrawal_notes},
    )
    return membership
