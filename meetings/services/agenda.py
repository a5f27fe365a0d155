"""The agenda agreed in advance, and its papers.

An agenda is drafted by the coordinator and the meeting's chair, agreed by the chair (or by the
coordinator on the chair's word), then published by the coordinator, which tells everyone invited that
the agenda and papers are ready. A change to an agreed or published agenda takes it back to draft: the
chair agrees the new one and it is published again (people already see the changed agenda, and the
second publication tells them). Who may do what is `meetings.selectors.MeetingAccess`.

Papers are PDFs or office documents, typed by their content, no larger than PAPER_MAX_BYTES, each with
the uploader's declaration that it holds no pupil-level data (the agreements share pupil data only live
at meetings). They are stored under PRIVATE_MEDIA_ROOT and served only through a permission check.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import date_label
from core.files import DOCUMENT_TYPE_NAMES, PDF, display_name, document_type, private_storage, stored_name
from core.outbox import outbox_enqueue
from meetings.models import AgendaItem, Meeting, Paper
from meetings.selectors import meeting_access, meeting_invitees
from meetings.services.scheduling import _has_role_on, when_label

PAPERS = "meeting.papers"

# The longest an item may be given, in minutes: a whole day's training.
MAX_ITEM_MINUTES = 8 * 60


def _open_meeting(meeting: Meeting) -> Meeting:
    """The meeting, locked, if its agenda may still change: not cancelled, not over."""
    meeting = Meeting.objects.select_for_update().select_related("partnership").get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError("This meeting has been cancelled, so its agenda cannot change")
    if meeting.ends <= timezone.now():
        raise ValidationError("This meeting has taken place; what happened is recorded in its minutes")
    return meeting


def _may_edit(actor: User, meeting: Meeting) -> None:
    if not meeting_access(actor, meeting).may_edit_agenda:
        raise ValidationError("Only the coordinator and the meeting's chair change its agenda")


def _back_to_draft(meeting: Meeting) -> bool:
    """A changed agenda needs the chair's agreement again; True if an agreement lapsed."""
    if meeting.agenda_status == Meeting.AgendaStatus.DRAFT:
        return False
    Meeting.objects.filter(pk=meeting.pk).update(
        agenda_status=Meeting.AgendaStatus.DRAFT, agenda_agreed_by=None, agenda_agreed_at=None
    )
    meeting.refresh_from_db()
    return True


def agenda_item_validate(
    *,
    meeting: Meeting,
    title: str,
    presenter: User | None,
    minutes: int | None,
) -> None:
    """The rules an agenda item must meet; raises ValidationError by field."""
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Enter the item's title, for example Headteachers' updates"
    elif len(title.strip()) > 200:
        errors["title"] = "The title must be 200 characters or fewer"
    if minutes is not None and not 1 <= minutes <= MAX_ITEM_MINUTES:
        errors["minutes"] = f"The time allowed must be between 1 and {MAX_ITEM_MINUTES} minutes"
    day = timezone.localtime(meeting.starts).date()
    if presenter is not None and not _has_role_on(meeting.partnership, presenter, day):
        errors["presenter"] = f"{presenter} has no role in the partnership on the day of the meeting"
    if errors:
        raise ValidationError(errors)


def _item_details(
    *, title: str, purpose: str, presenter: User | None, minutes: int | None, decision_needed: bool, confidential: bool
) -> dict:
    return {
        "title": title.strip(),
        "purpose": purpose.strip(),
        "presenter": presenter,
        "minutes": minutes,
        "decision_needed": decision_needed,
        "confidential": confidential,
    }


@transaction.atomic
def agenda_item_add(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    purpose: str = "",
    presenter: User | None = None,
    minutes: int | None = None,
    decision_needed: bool = False,
    confidential: bool = False,
) -> AgendaItem:
    """Add an item at the end of the agenda."""
    meeting = _open_meeting(meeting)
    _may_edit(actor, meeting)
    agenda_item_validate(meeting=meeting, title=title, presenter=presenter, minutes=minutes)
    last = meeting.items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=last + 1,
        **_item_details(
            title=title,
            purpose=purpose,
            presenter=presenter,
            minutes=minutes,
            decision_needed=decision_needed,
            confidential=confidential,
        ),
    )
    lapsed = _back_to_draft(meeting)
    audit_record(
        subject=meeting,
        actor=actor,
        action=AuditAction.AGENDA_ITEM_ADDED,
        partnership=meeting.partnership,
        summary=f"{meeting.title}: item {item.position}, {item.title}, added",
        data={"meeting": meeting.pk, "item": item.pk, "agreement_lapsed": lapsed},
    )
    return item


@transaction.atomic
def agenda_item_change(
    *,
    actor: User,
    item: AgendaItem,
    title: str,
    purpose: str = "",
    presenter: User | None = None,
    minutes: int | None = None,
    decision_needed: bool = False,
    confidential: bool = False,
) -> AgendaItem:
    """Change an item; if anything changed, the agenda goes back to draft for the chair to agree."""
    meeting = _open_meeting(item.meeting)
    _may_edit(actor, meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    agenda_item_validate(meeting=meeting, title=title, presenter=presenter, minutes=minutes)
    details = _item_details(
        title=title,
        purpose=purpose,
        presenter=presenter,
        minutes=minutes,
        decision_needed=decision_needed,
        confidential=confidential,
    )
    changed = [field for field, value in details.items() if getattr(item, field) != value]
    if not changed:
        return item
    for field, value in details.items():
        setattr(item, field, value)
    item.save()
    lapsed = _back_to_draft(meeting)
    audit_record(
        subject=meeting,
        actor=actor,
        action=AuditAction.AGENDA_ITEM_CHANGED,
        partnership=meeting.partnership,
        summary=f"{meeting.title}: item {item.position}, {item.title}, changed ({', '.join(changed)})".replace(
            "_", " "
        ),
        data={"meeting": meeting.pk, "item": item.pk, "changed": changed, "agreement_lapsed": lapsed},
    )
    return item


def _renumber(meeting: Meeting) -> None:
    for position, item_pk in enumerate(meeting.items.order_by("position", "pk").values_list("pk", flat=True), 1):
        AgendaItem.objects.filter(pk=item_pk).exclude(position=position).update(position=position)


@transaction.atomic
def agenda_item_remove(*, actor: User, item: AgendaItem) -> Meeting:
    """Take an item, and its papers, off the agenda; the items after it move up."""
    meeting = _open_meeting(item.meeting)
    _may_edit(actor, meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    names = [paper.file.name for paper in item.papers.all()]
    item.delete()
    _renumber(meeting)
    transaction.on_commit(lambda: [private_storage.delete(name) for name in names])
    lapsed = _back_to_draft(meeting)
    audit_record(
        subject=meeting,
        actor=actor,
        action=AuditAction.AGENDA_ITEM_REMOVED,
        partnership=meeting.partnership,
        summary=f"{meeting.title}: {item.title} taken off the agenda",
        data={"meeting": meeting.pk, "item": item.pk, "papers": len(names), "agreement_lapsed": lapsed},
    )
    return meeting


@transaction.atomic
def agenda_item_move(*, actor: User, item: AgendaItem, direction: str) -> AgendaItem:
    """Move an item one place up or down the agenda."""
    meeting = _open_meeting(item.meeting)
    _may_edit(actor, meeting)
    if direction not in ("up", "down"):
        raise ValidationError({"direction": "Choose whether the item moves up or down"})
    _renumber(meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    other = meeting.items.filter(position=item.position + (-1 if direction == "up" else 1)).first()
    if other is None:
        raise ValidationError({"direction": f"{item.title} is already {'first' if direction == 'up' else 'last'}"})
    AgendaItem.objects.filter(pk=other.pk).update(position=item.position)
    AgendaItem.objects.filter(pk=item.pk).update(position=other.position)
    item.refresh_from_db()
    lapsed = _back_to_draft(meeting)
    audit_record(
        subject=meeting,
        actor=actor,
        action=AuditAction.AGENDA_ITEM_MOVED,
        partnership=meeting.partnership,
        summary=f"{meeting.title}: {item.title} moved {direction} to item {item.position}",
        data={"meeting": meeting.pk, "item": item.pk, "position": item.position, "agreement_lapsed": lapsed},
    )
    return item


@transaction.atomic
def agenda_agree(*, actor: User, meeting: Meeting) -> Meeting:
    """Record the chair's agreement to the agenda as it stands."""
    meeting = _open_meeting(meeting)
    if meeting.chair_id is None:
        raise ValidationError("Name the meeting's chair first: the chair agrees the agenda")
    if not meeting_access(actor, meeting).may_agree_agenda:
        raise ValidationError("Only the meeting's chair, or the coordinator on the chair's word, agrees the agenda")
    if meeting.agenda_status != Meeting.AgendaStatus.DRAFT:
        raise ValidationError("The agenda is already agreed; change it to agree it again")
    if not meeting.items.exists():
        raise ValidationError("Add the agenda's items before it is agreed")
    Meeting.objects.filter(pk=meeting.pk).update(
        agenda_status=Meeting.AgendaStatus.AGREED, agenda_agreed_by=actor, agenda_agreed_at=timezone.now()
    )
    meeting.refresh_from_db()
    on_behalf = "" if actor.pk == meeting.chair_id else f" for the chair, {meeting.chair}"
    audit_record(
        subject=meeting,
        actor=actor,
        action=AuditAction.AGENDA_AGREED,
        partnership=meeting.partnership,
        summary=f"{meeting.title}: agenda agreed{on_behalf}",
        data={"meeting": meeting.pk, "chair": meeting.chair_id, "items": meeting.items.count()},
    )
    return meeting


@transaction.atomic
def agenda_publish(*, actor: User, meeting: Meeting) -> Meeting:
    """Publish the agreed agenda and its papers, and tell everyone invited that they are ready."""
    meeting = _open_meeting(meeting)
    if not meeting_access(actor, meeting).may_publish:
        raise ValidationError("Only the coordinator publishes the agenda")
    if meeting.agenda_status == Meeting.AgendaStatus.PUBLISHED:
        raise ValidationError("The agenda is already published; change it and have it agreed to publish it again")
    if meeting.agenda_status != Meeting.AgendaStatus.AGREED:
        raise ValidationError("The chair must agree the agenda before it is published")
    Meeting.objects.filter(pk=meeting.pk).update(
        agenda_status=Meeting.AgendaStatus.PUBLISHED,
        papers_published_at=timezone.now(),
        papers_version=F("papers_version") + 1,
    )
    meeting.refresh_from_db()
    sent = _tell_papers(meeting)
    audit_record(
        subject=meeting,
        actor=actor,
        action=AuditAction.AGENDA_PUBLISHED,
        partnership=meeting.partnership,
        summary=f"{meeting.title}: agenda and papers published" + (" again" if meeting.papers_version > 1 else ""),
        data={"meeting": meeting.pk, "version": meeting.papers_version, "notices": sent},
    )
    return meeting


def _tell_papers(meeting: Meeting) -> int:
    """One notice per person invited with an email address, at this publication's version."""
    subject = (
        f"{'Agenda and papers' if meeting.papers_version == 1 else 'Changed agenda and papers'}: "
        f"{meeting.title}, {when_label(meeting)}"
    )
    path = f"/p/{meeting.partnership.slug}/meetings/{meeting.pk}/"
    items = list(meeting.items.order_by("position", "pk"))
    queued = 0
    for invitee in meeting_invitees(meeting):
        if not invitee.email:
            continue
        outbox_enqueue(
            about=f"meeting:{meeting.pk}",
            kind=PAPERS,
            version=meeting.papers_version,
            recipient=invitee.email,
            subject=subject,
            template="meetings/email/papers",
            context={
                "meeting": meeting,
                "invitee": invitee,
                "items": items,
                "when": when_label(meeting),
                "path": path,
                "pack_path": f"{path}pack.pdf",
            },
        )
        queued += 1
    return queued


@transaction.atomic
def papers_deadline_set(*, actor: User, meeting: Meeting, deadline: datetime.date | None) -> Meeting:
    """Set (or clear) the day papers are due; presenters without a paper are reminded before it."""
    meeting = _open_meeting(meeting)
    _may_edit(actor, meeting)
    meeting_day = timezone.localtime(meeting.starts).date()
    if deadline is not None and deadline >= meeting_day:
        raise ValidationError({"deadline": "Papers must be due before the day of the meeting"})
    if deadline is not None and deadline < timezone.localdate():
        raise ValidationError({"deadline": "The deadline must be today or later"})
    Meeting.objects.filter(pk=meeting.pk).update(papers_deadline=deadline)
    meeting.refresh_from_db()
    audit_record(
        subject=meeting,
        actor=actor,
        action=AuditAction.PAPERS_DEADLINE_SET,
        partnership=meeting.partnership,
        summary=f"{meeting.title}: papers due " + (date_label(deadline) if deadline else "with no deadline"),
        data={"meeting": meeting.pk, "deadline": deadline.isoformat() if deadline else None},
    )
    return meeting


def _pdf_pages(upload) -> int:
    """A PDF's page count; ValidationError if it cannot be read (damaged or password-protected)."""
    upload.seek(0)
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise ValidationError({"file": "The PDF is protected by a password: upload it without one"})
        pages = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise ValidationError(
            {"file": "The PDF is damaged and cannot be opened: save it again and upload that"}
        ) from error
    finally:
        upload.seek(0)
    if pages == 0:
        raise ValidationError({"file": "The PDF has no pages"})
    return pages


def paper_validate(*, upload: UploadedFile | None, no_pupil_data: bool) -> str:
    """The rules a paper must meet; returns its type, read from its content."""
    errors: dict[str, str] = {}
    if not no_pupil_data:
        errors["no_pupil_data"] = (
            "Confirm that the paper holds no pupil-level data: share that only live at the meeting"
        )
    if upload is None or not upload.size:
        errors["file"] = "Choose the paper to upload"
    elif upload.size > settings.PAPER_MAX_BYTES:
        errors["file"] = f"The paper must be smaller than {settings.PAPER_MAX_BYTES // (1024 * 1024)} MB"
    mime = None
    if "file" not in errors:
        mime = document_type(upload)
        if mime is None:
            errors["file"] = f"The paper must be a {DOCUMENT_TYPE_NAMES} file"
    if errors:
        raise ValidationError(errors)
    return mime


@transaction.atomic
def paper_upload(*, actor: User, item: AgendaItem, upload: UploadedFile | None, no_pupil_data: bool) -> Paper:
    """Attach a paper to an item: the item's presenter, the chair or the coordinator."""
    meeting = _open_meeting(item.meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    if not meeting_access(actor, meeting).may_upload(item):
        raise ValidationError("Only the item's presenter, the chair or the coordinator adds its papers")
    mime = paper_validate(upload=upload, no_pupil_data=no_pupil_data)
    pages = _pdf_pages(upload) if mime == PDF else None
    name = private_storage.save(stored_name(f"papers/{meeting.pk}", mime), upload)
    try:
        paper = Paper.objects.create(
            item=item,
            file=name,
            name=display_name(upload.name, mime),
            content_type=mime,
            size=upload.size,
            pages=pages,
            no_pupil_data=True,
            uploaded_by=actor,
        )
        audit_record(
            subject=meeting,
            actor=actor,
            action=AuditAction.PAPER_UPLOADED,
            partnership=meeting.partnership,
            summary=f"{meeting.title}: {paper.name} added to {item.title}",
            data={"meeting": meeting.pk, "item": item.pk, "paper": paper.pk, "type": mime, "size": upload.size},
        )
    except Exception:
        private_storage.delete(name)
        raise
    return paper


@transaction.atomic
def paper_read(*, actor: User, paper: Paper) -> Paper:
    """Record that `actor` opened a confidential item's paper (the view has checked they may): who read
    what, and when, is part of the audit trail the agreements' confidentiality asks for."""
    if not paper.item.confidential:
        raise ValidationError("Only a confidential item's papers are opened on the record")
    if not meeting_access(actor, paper.item.meeting).may_read(paper.item):
        raise ValidationError("You cannot open this paper")
    meeting = paper.item.meeting
    audit_record(
        subject=meeting,
        actor=actor,
        action=AuditAction.PAPER_READ,
        partnership=meeting.partnership,
        summary=f"{meeting.title}: confidential paper {paper.name} ({paper.item.title}) opened",
        data={"meeting": meeting.pk, "item": paper.item_id, "paper": paper.pk},
    )
    return paper


@transaction.atomic
def paper_remove(*, actor: User, paper: Paper) -> AgendaItem:
    """Take a paper off its item (to replace it, upload the new one too)."""
    paper = Paper.objects.select_related("item").get(pk=paper.pk)
    meeting = _open_meeting(paper.item.meeting)
    if not meeting_access(actor, meeting).may_upload(paper.item):
        raise ValidationError("Only the item's presenter, the chair or the coordinator removes its papers")
    name = paper.file.name
    paper.delete()
    transaction.on_commit(lambda: private_storage.delete(name))
    audit_record(
        subject=meeting,
        actor=actor,
        action=AuditAction.PAPER_REMOVED,
        partnership=meeting.partnership,
        summary=f"{meeting.title}: {paper.name} taken off {paper.item.title}",
        data={"meeting": meeting.pk, "item": paper.item_id, "paper": paper.pk},
    )
    return paper.item
