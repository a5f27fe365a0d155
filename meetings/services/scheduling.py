"""Scheduling meetings and telling people: every change is validated, atomic, audited, and its notices
are written to the outbox in the same transaction (so a change that fails sends nothing, and a broker
that is down delays the notices without failing the change).

The rules: the notice period is counted in clear days (`meetings.selectors.notice_check`); scheduling
inside the agreement's notice period needs the reason it is urgent, which the notice then gives; where
the agreement sets no notice period nothing is refused. Moving or cancelling a meeting tells everyone
again, as a calendar update with the same UID and a higher SEQUENCE.
"""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import date_label
from core.outbox import outbox_enqueue
from meetings import calendar
from meetings.models import Attendance, CalendarFeed, Invitee, Meeting
from meetings.selectors import (
    answer_link_token,
    feed_token_hash,
    invitations_for,
    meeting_invitees,
    meeting_schools,
    notice_check,
)
from partnerships.models import Group, Membership, Partnership, RoleAssignment
from partnerships.selectors.constitution import constitution_of
from partnerships.selectors.permissions import partnership_permissions
from schools.models import Person, School

INVITATION = "meeting.invitation"
UPDATE = "meeting.update"
CANCELLATION = "meeting.cancellation"

_SUBJECT_PREFIX = {INVITATION: "Invitation", UPDATE: "Changed", CANCELLATION: "Cancelled"}


def when_label(meeting: Meeting) -> str:
    """'Tuesday 8 December 2026, 4pm to 5:30pm', in the UK's time."""
    starts, ends = timezone.localtime(meeting.starts), timezone.localtime(meeting.ends)

    def clock(moment: datetime.datetime) -> str:
        hour = moment.strftime("%-I")
        minutes = "" if moment.minute == 0 else moment.strftime(":%M")
        return f"{hour}{minutes}{moment.strftime('%p').lower()}"

    day = f"{starts:%A} {date_label(starts.date())}"
    if ends.date() == starts.date():
        return f"{day}, {clock(starts)} to {clock(ends)}"
    return f"{day}, {clock(starts)} to {ends:%A} {date_label(ends.date())}, {clock(ends)}"


def _notify(meeting: Meeting, invitees, kind: str) -> int:
    """Queue one notice of `kind` to each invitee with an email address, at the meeting's SEQUENCE."""
    method = calendar.CANCEL if kind == CANCELLATION else calendar.REQUEST
    subject = f"{_SUBJECT_PREFIX[kind]}: {meeting.title}, {when_label(meeting)}"
    url = f"/p/{meeting.partnership.slug}/meetings/{meeting.pk}/"
    queued = 0
    for invitee in invitees:
        if not invitee.email:
            continue  # no address: the coordinator prints their notice from the meeting page
        outbox_enqueue(
            about=f"meeting:{meeting.pk}",
            kind=kind,
            version=meeting.sequence,
            recipient=invitee.email,
            subject=subject,
            template="meetings/email/notice",
            context={
                "meeting": meeting,
                "invitee": invitee,
                "kind": kind,
                "when": when_label(meeting),
                "path": url,
                "answer_path": f"/p/{meeting.partnership.slug}/meetings/answer/{answer_link_token(invitee)}/",
            },
            calendar=calendar.invitation(meeting, method=method, email=invitee.email, name=invitee.name),
        )
        queued += 1
    return queued


def _is_member_on(partnership: Partnership, school: School, day: datetime.date) -> bool:
    return Membership.objects.filter(partnership=partnership, school=school).current(day).exists()


def _has_role_on(partnership: Partnership, user: User, day: datetime.date) -> bool:
    return RoleAssignment.objects.filter(partnership=partnership, user=user).active(day).exists()


def meeting_validate(
    *,
    partnership: Partnership,
    kind: str,
    title: str,
    starts: datetime.datetime | None,
    ends: datetime.datetime | None,
    group: Group | None,
    venue_school: School | None,
    venue_address: str,
    online_link: str,
    chair: User | None,
    note_taker: User | None,
    short_notice_reason: str,
    now: datetime.datetime,
) -> None:
    """The rules a meeting's details must meet; raises ValidationError by field."""
    errors: dict[str, str] = {}
    if kind not in Meeting.Kind.values:
        errors["kind"] = "Choose what kind of meeting this is"
    if not title.strip():
        errors["title"] = "Enter the meeting's title"
    if starts is None:
        errors["starts"] = "Enter when the meeting starts"
    elif starts <= now:
        errors["starts"] = "The meeting must start in the future"
    if ends is None:
        errors["ends"] = "Enter when the meeting ends"
    elif starts is not None and ends <= starts:
        errors["ends"] = "The meeting must end after it starts"
    if kind in Meeting.GROUP_KINDS:
        if group is None:
            errors["group"] = "Choose the group that is meeting"
        elif group.partnership_id != partnership.pk:
            errors["group"] = "Choose one of this partnership's groups"
    if venue_school is None and not venue_address.strip() and not online_link.strip():
        errors["venue_school"] = "Say where the meeting is: a member school, an address or an online link"
    day = timezone.localtime(starts).date() if starts is not None else timezone.localdate(now)
    if venue_school is not None and not _is_member_on(partnership, venue_school, day):
        errors["venue_school"] = f"{venue_school.name} is not a member school on the day of the meeting"
    for field, person in (("chair", chair), ("note_taker", note_taker)):
        if person is not None and not _has_role_on(partnership, person, day):
            errors[field] = f"{person} has no role in the partnership on the day of the meeting"
    if starts is not None and "starts" not in errors:
        check = notice_check(constitution=constitution_of(partnership), sent_on=timezone.localdate(now), meeting_on=day)
        if check.needs_reason and not short_notice_reason.strip():
            errors["short_notice_reason"] = (
                f"{check.explanation()} Choose a later date, or say why the meeting cannot wait"
            )
    if errors:
        raise ValidationError(errors)


def _details(
    *,
    title: str,
    starts: datetime.datetime,
    ends: datetime.datetime,
    venue_school: School | None,
    venue_address: str,
    online_link: str,
    chair: User | None,
    note_taker: User | None,
    short_notice_reason: str,
) -> dict:
    """A meeting's changeable details as they are stored: text trimmed."""
    return {
        "title": title.strip(),
        "starts": starts,
        "ends": ends,
        "venue_school": venue_school,
        "venue_address": venue_address.strip(),
        "online_link": online_link.strip(),
        "chair": chair,
        "note_taker": note_taker,
        "short_notice_reason": short_notice_reason.strip(),
    }


@transaction.atomic
def meeting_schedule(
    *,
    actor: User,
    partnership: Partnership,
    kind: str,
    title: str,
    starts: datetime.datetime,
    ends: datetime.datetime,
    group: Group | None = None,
    venue_school: School | None = None,
    venue_address: str = "",
    online_link: str = "",
    chair: User | None = None,
    note_taker: User | None = None,
    short_notice_reason: str = "",
    now: datetime.datetime | None = None,
) -> Meeting:
    """Schedule a meeting, invite the people its kind invites, and send each of them an invitation."""
    now = now or timezone.now()
    group = group if kind in Meeting.GROUP_KINDS else None
    details = {"kind": kind, "group": group} | _details(
        title=title,
        starts=starts,
        ends=ends,
        venue_school=venue_school,
        venue_address=venue_address,
        online_link=online_link,
        chair=chair,
        note_taker=note_taker,
        short_notice_reason=short_notice_reason,
    )
    meeting_validate(partnership=partnership, now=now, **details)
    meeting = Meeting.objects.create(partnership=partnership, organiser=actor, **details)
    day = timezone.localtime(starts).date()
    Invitee.objects.bulk_create(
        Invitee(meeting=meeting, user_id=i.user_id, person_id=i.person_id, school_id=i.school_id)
        for i in invitations_for(partnership=partnership, kind=kind, on=day, group_id=meeting.group_id)
    )
    sent = _notify(meeting, meeting_invitees(meeting), INVITATION)
    audit_record(
        subject=meeting,
        actor=actor,
        action=AuditAction.MEETING_SCHEDULED,
        partnership=partnership,
        summary=f"{meeting.title} scheduled for {when_label(meeting)}",
        data={"meeting": meeting.pk, "invitations": sent, "short_notice_reason": meeting.short_notice_reason},
    )
    return meeting


# What a change to these fields means to a calendar: a new SEQUENCE and a notice to everyone.
_CALENDAR_FIELDS = ("title", "starts", "ends", "venue_school", "venue_address", "online_link")


def _refuse_if_cancelled(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise ValidationError("This meeting has been cancelled; schedule a new one instead")


@transaction.atomic
def meeting_change(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    starts: datetime.datetime,
    ends: datetime.datetime,
    venue_school: School | None = None,
    venue_address: str = "",
    online_link: str = "",
    chair: User | None = None,
    note_taker: User | None = None,
    short_notice_reason: str = "",
    now: datetime.datetime | None = None,
) -> Meeting:
    """Change a meeting's details; if its time, place or title changed, everyone invited is sent the
    change as an update of the same calendar entry."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_if_cancelled(meeting)
    now = now or timezone.now()
    details = _details(
        title=title,
        starts=starts,
        ends=ends,
        venue_school=venue_school,
        venue_address=venue_address,
        online_link=online_link,
        chair=chair,
        note_taker=note_taker,
        short_notice_reason=short_notice_reason,
    )
    meeting_validate(partnership=meeting.partnership, kind=meeting.kind, group=meeting.group, now=now, **details)
    before = {field: getattr(meeting, field) for field in details}
    changed = [field for field in details if before[field] != details[field]]
    if not changed:
        return meeting
    for field, value in details.items():
        setattr(meeting, field, value)
    moved = [field for field in changed if field in _CALENDAR_FIELDS]
    if moved:
        meeting.sequence += 1
    meeting.save()
    sent = _notify(meeting, meeting_invitees(meeting), UPDATE) if moved else 0
    audit_record(
        subject=meeting,
        actor=actor,
        action=AuditAction.MEETING_CHANGED,
        partnership=meeting.partnership,
        summary=f"{meeting.title} changed: {', '.join(changed).replace('_', ' ')}",
        data={"meeting": meeting.pk, "changed": changed, "sequence": meeting.sequence, "updates": sent},
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a meeting and send everyone invited the cancellation of its calendar entry."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_if_cancelled(meeting)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the meeting is cancelled; the cancellation tells everyone"})
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.CANCELLED, cancel_reason=reason.strip(), sequence=F("sequence") + 1
    )
    meeting.refresh_from_db()
    sent = _notify(meeting, meeting_invitees(meeting), CANCELLATION)
    audit_record(
        subject=meeting,
        actor=actor,
        action=AuditAction.MEETING_CANCELLED,
        partnership=meeting.partnership,
        summary=f"{meeting.title} on {date_label(timezone.localtime(meeting.starts).date())} cancelled",
        data={"meeting": meeting.pk, "reason": meeting.cancel_reason, "cancellations": sent},
    )
    return meeting


@transaction.atomic
def meeting_invitee_add(
    *, actor: User, meeting: Meeting, user: User | None = None, person: Person | None = None
) -> Invitee:
    """Invite one more person (an account holder or a person of a member school) and send them the
    invitation. Someone taken off earlier is invited again."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_if_cancelled(meeting)
    if (user is None) == (person is None):
        raise ValidationError({"user": "Choose one person to invite"})
    day = timezone.localtime(meeting.starts).date()
    if user is not None and not _has_role_on(meeting.partnership, user, day):
        raise ValidationError({"user": f"{user} has no role in the partnership on the day of the meeting"})
    if person is not None and (
        person.partnership_id != meeting.partnership_id or not _is_member_on(meeting.partnership, person.school, day)
    ):
        raise ValidationError({"person": f"{person.full_name} is not at a member school on the day of the meeting"})
    if person is not None and person.user_id:
        user, person = person.user, None  # one invitation per account, however they were found
    existing = meeting.invitees.filter(user=user) if user is not None else meeting.invitees.filter(person=person)
    invitee = existing.first()
    if invitee is not None and invitee.is_current:
        raise ValidationError({"user" if user is not None else "person": f"{invitee.name} is already invited"})
    school_id = person.school_id if person is not None else _school_led_by(meeting.partnership, user, day)
    if invitee is None:
        invitee = Invitee.objects.create(
            meeting=meeting, user=user, person=person, school_id=school_id, added_by_hand=True
        )
    else:
        Invitee.objects.filter(pk=invitee.pk).update(removed_at=None, added_by_hand=True)
        invitee.refresh_from_db()
    _tell_one(actor, meeting, invitee, INVITATION, f"{invitee.name} invited to {meeting.title}")
    return invitee


def _tell_one(actor: User, meeting: Meeting, invitee: Invitee, kind: str, summary: str) -> None:
    """Send one person their invitation or cancellation, and record it.

    The meeting's SEQUENCE goes up first, so the notice is a new message even for someone invited,
    taken off and invited again; the others' calendar entries stay as they are until the next change,
    whose higher SEQUENCE replaces them as usual."""
    Meeting.objects.filter(pk=meeting.pk).update(sequence=F("sequence") + 1)
    meeting.refresh_from_db()
    _notify(meeting, [invitee], kind)
    audit_record(
        subject=meeting,
        actor=actor,
        action=AuditAction.MEETING_INVITEE_ADDED if kind == INVITATION else AuditAction.MEETING_INVITEE_REMOVED,
        partnership=meeting.partnership,
        summary=summary,
        data={"meeting": meeting.pk, "invitee": invitee.pk, "sequence": meeting.sequence},
    )


def _school_led_by(partnership: Partnership, user: User, day: datetime.date) -> int | None:
    return (
        RoleAssignment.objects.filter(partnership=partnership, user=user, school__isnull=False)
        .active(day)
        .order_by("pk")
        .values_list("school_id", flat=True)
        .first()
    )


@transaction.atomic
def meeting_invitee_remove(*, actor: User, invitee: Invitee) -> Invitee:
    """Take someone off a meeting and send them the cancellation of their calendar entry."""
    meeting = Meeting.objects.select_for_update().get(pk=invitee.meeting_id)
    _refuse_if_cancelled(meeting)
    invitee = Invitee.objects.select_related("user", "person").get(pk=invitee.pk)
    if not invitee.is_current:
        raise ValidationError(f"{invitee.name} is not invited to this meeting")
    Invitee.objects.filter(pk=invitee.pk).update(removed_at=timezone.now())
    _tell_one(actor, meeting, invitee, CANCELLATION, f"{invitee.name} taken off {meeting.title}")
    invitee.refresh_from_db()
    return invitee


# Who may attend in a headteacher's place: a deputy or assistant headteacher of the same school (the
# agreements let deputies substitute; an assistant head is the senior leader a deputy-less school sends).
SUBSTITUTE_POSITIONS = frozenset({Person.Position.DEPUTY_HEAD, Person.Position.ASSISTANT_HEAD})


def may_substitute(person: Person, invitee: Invitee) -> bool:
    """Whether `person` may attend in `invitee`'s place: a senior leader of the school they come for."""
    return (
        invitee.school_id is not None
        and person.partnership_id == invitee.meeting.partnership_id
        and person.school_id == invitee.school_id
        and person.position in SUBSTITUTE_POSITIONS
    )


@transaction.atomic
def meeting_answer(
    *,
    actor: User | None,
    invitee: Invitee,
    answer: str,
    apologies_reason: str = "",
    substitute: Person | None = None,
    by_link: bool = False,
) -> Invitee:
    """Record an invitee's answer: coming, apologies (with a reason) or a substitute from their school,
    who is invited in their place and sent the invitation (and a substitute no longer sent is sent the
    cancellation). The invitee answers for themselves, signed in or through the signed link in their
    email (`by_link`, no actor: the link is the proof); the coordinator may record it for them."""
    meeting = Meeting.objects.select_for_update().select_related("partnership").get(pk=invitee.meeting_id)
    _refuse_if_cancelled(meeting)
    invitee = Invitee.objects.select_related("user", "person", "school").get(pk=invitee.pk)
    invitee.meeting = meeting
    if not by_link and (
        actor is None
        or (
            invitee.user_id != actor.pk and "manage_meetings" not in partnership_permissions(actor, meeting.partnership)
        )
    ):
        raise ValidationError("Only the person invited, or the coordinator, can answer this invitation")
    if not invitee.is_current:
        raise ValidationError(f"{invitee.name} is not invited to this meeting")
    if meeting.ends <= timezone.now():
        raise ValidationError("This meeting has ended; attendance is recorded in its minutes")
    errors: dict[str, str] = {}
    if answer not in (Invitee.Answer.ATTENDING, Invitee.Answer.APOLOGIES, Invitee.Answer.SUBSTITUTE):
        errors["answer"] = "Say whether you are coming, sending apologies or sending a substitute"
    elif answer == Invitee.Answer.APOLOGIES and not apologies_reason.strip():
        errors["apologies_reason"] = "Give the reason for your apologies; the chair reads them to the meeting"
    elif answer == Invitee.Answer.SUBSTITUTE:
        if invitee.substitute_for_id is not None:
            errors["answer"] = "A substitute cannot send a substitute of their own"
        elif substitute is None:
            errors["substitute"] = "Choose who will come in your place"
        elif not may_substitute(substitute, invitee):
            school = invitee.school.name if invitee.school_id else "your school"
            errors["substitute"] = (
                f"{substitute.full_name} cannot come in your place: choose a deputy or assistant headteacher "
                f"of {school}"
            )
    if errors:
        raise ValidationError(errors)
    keep = substitute if answer == Invitee.Answer.SUBSTITUTE else None
    for earlier in meeting.invitees.filter(substitute_for=invitee, removed_at__isnull=True).select_related(
        "user", "person"
    ):
        same = keep is not None and (
            earlier.person_id == keep.pk or (keep.user_id is not None and earlier.user_id == keep.user_id)
        )
        if not same:
            Invitee.objects.filter(pk=earlier.pk).update(removed_at=timezone.now())
            _tell_one(actor, meeting, earlier, CANCELLATION, f"{earlier.name} no longer substitutes at {meeting.title}")
        else:
            keep = None  # already invited as the substitute
    if keep is not None:
        stand_in = _substitute_invitee(meeting, invitee, keep)
        _tell_one(actor, meeting, stand_in, INVITATION, f"{stand_in.name} invited in place of {invitee.name}")
    Invitee.objects.filter(pk=invitee.pk).update(
        answer=answer,
        apologies_reason=apologies_reason.strip() if answer == Invitee.Answer.APOLOGIES else "",
        answered_at=timezone.now(),
    )
    invitee.refresh_from_db()
    audit_record(
        subject=meeting,
        actor=actor,
        action=AuditAction.MEETING_ANSWERED,
        partnership=meeting.partnership,
        summary=f"{invitee.name}: {invitee.get_answer_display().lower()} ({meeting.title})",
        data={
            "meeting": meeting.pk,
            "invitee": invitee.pk,
            "answer": answer,
            "substitute": getattr(substitute, "pk", None),
            "by_link": by_link,
        },
    )
    return invitee


def _substitute_invitee(meeting: Meeting, invitee: Invitee, person: Person) -> Invitee:
    """The substitute as an invitee of the meeting (their account if they have one), current again."""
    who = {"user_id": person.user_id} if person.user_id else {"person": person}
    stand_in = meeting.invitees.filter(**who).first()
    if stand_in is None:
        return Invitee.objects.create(meeting=meeting, school_id=invitee.school_id, substitute_for=invitee, **who)
    Invitee.objects.filter(pk=stand_in.pk).update(removed_at=None, substitute_for=invitee, answer="")
    stand_in.refresh_from_db()
    return stand_in


@transaction.atomic
def calendar_link_create(*, actor: User, partnership: Partnership) -> str:
    """Make the person's secret calendar link, stopping any earlier one; returns the token, which is
    shown once (only its hash is kept)."""
    CalendarFeed.objects.filter(partnership=partnership, user=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(partnership=partnership, user=actor, token_hash=feed_token_hash(token))
    audit_record(
        actor=actor,
        action=AuditAction.CALENDAR_LINK_CREATED,
        partnership=partnership,
        summary=f"{actor} made a calendar link (any earlier link stopped)",
    )
    return token


@transaction.atomic
def calendar_link_stop(*, actor: User, partnership: Partnership) -> int:
    """Stop the person's calendar link: calendars subscribed to it get nothing more."""
    stopped = CalendarFeed.objects.filter(partnership=partnership, user=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not stopped:
        raise ValidationError("You have no calendar link to stop")
    audit_record(
        actor=actor,
        action=AuditAction.CALENDAR_LINK_STOPPED,
        partnership=partnership,
        summary=f"{actor} stopped their calendar link",
    )
    return stopped


def may_record_attendance(user: User, meeting: Meeting) -> bool:
    """The meeting's note-taker records attendance, and the coordinator."""
    return meeting.note_taker_id == user.pk or "manage_meetings" in partnership_permissions(user, meeting.partnership)


@transaction.atomic
def attendance_record(*, actor: User, meeting: Meeting, school: School, status: str) -> Attendance:
    """Record how one school was represented at a meeting (again, to correct it)."""
    meeting = Meeting.objects.select_related("partnership").get(pk=meeting.pk)
    if not may_record_attendance(actor, meeting):
        raise ValidationError("Only the meeting's note-taker or the coordinator records attendance")
    _refuse_if_cancelled(meeting)
    if timezone.localtime(meeting.starts).date() > timezone.localdate():
        raise ValidationError("Attendance is recorded on the day of the meeting, not before")
    if status not in Attendance.Status.values:
        raise ValidationError({"status": f"Say how {school.name} was represented"})
    if school not in meeting_schools(meeting):
        raise ValidationError({"school": f"{school.name} is not a member school at this meeting"})
    attendance, _ = Attendance.objects.update_or_create(
        meeting=meeting,
        school=school,
        defaults={"status": status, "recorded_by": actor, "recorded_at": timezone.now()},
    )
    audit_record(
        subject=meeting,
        actor=actor,
        action=AuditAction.MEETING_ATTENDANCE_RECORDED,
        partnership=meeting.partnership,
        summary=f"{meeting.title}: {school.name} {attendance.get_status_display().lower()}",
        data={"meeting": meeting.pk, "school": school.pk, "status": status},
    )
    return attendance
