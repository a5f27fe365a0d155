"""What a partnership holds about one person: the subject access export (a page, JSON and a PDF) and the
one rule of when that person's details may be erased.

Each section is one query over one kind of record, so the export costs the same however long the
person's history. Only this partnership's records are read: another partnership the person belongs to
answers for its own."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from django.db.models import Q
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import AuditEvent, Invitation, User
from core.exports import Column, Table
from finance.models import ContributionRequest, Payment
from meetings.models import ActionPoint, AgendaItem, Invitee, Paper
from partnerships.models import (
    AgreementSignature,
    Candidate,
    InterestDeclaration,
    Partnership,
    RoleAssignment,
)
from partnerships.roles import Role
from schools.models import Person
from subscriptions.models import Booking, PanelMember, PepPlan, Review, Visit, VisitView

# Kept unchanged when a person is erased, and why: each is listed in the person's export.
RETAINED = [
    (
        "Signed agreements",
        "A sealed agreement is a signed legal document: its signers' names and the seal cannot change "
        "without breaking it, and the partnership must be able to show what was agreed.",
    ),
    (
        "The money ledger",
        "Ledger entries are the partnership's accounts, kept unchanged for audit: corrections are new entries.",
    ),
    (
        "The text of approved minutes",
        "Approved minutes are the partnership's record of its meetings: their words are not rewritten.",
    ),
    (
        "The audit trail's entries",
        "The audit trail is append-only evidence of who did what and when; its entries keep the wording "
        "they were written with.",
    ),
]

ERASED_NAME = "Erased person"


@dataclass(frozen=True)
class Section:
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)


@dataclass(frozen=True)
class PersonalData:
    person: User
    partnership: Partnership
    made_at: datetime.datetime
    sections: list[Section]
    retained: list[tuple[str, str]]

    def as_json(self) -> dict:
        return {
            "person": {"name": self.person.full_name, "email": self.person.email},
            "partnership": self.partnership.name,
            "made_at": self.made_at.isoformat(),
            "sections": {s.title: [dict(zip(s.columns, row, strict=True)) for row in s.rows] for s in self.sections},
            "kept_unchanged_on_erasure": [{"what": what, "why": why} for what, why in self.retained],
        }


def _day(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%-d %B %Y %H:%M")
    return value.strftime("%-d %B %Y")


def known_people(partnership: Partnership) -> list[User]:
    """Everyone who holds or has held a role in the partnership, by name: whose data it may hold."""
    return list(
        User.objects.filter(pk__in=RoleAssignment.objects.filter(partnership=partnership).values("user_id"))
        .order_by("full_name", "pk")
        .only("pk", "full_name", "email", "is_active")
    )


def known_people_table(people: list[User]) -> Table:
    """The people's data list as a download: the same people, names and addresses as its page."""
    return Table(
        title="People's data",
        columns=[Column("Name"), Column("Email"), Column("Account")],
        rows=[
            (person.full_name, person.email, "Active" if person.is_active else "Erased or closed") for person in people
        ],
    )


def is_known(partnership: Partnership, user_id: int) -> bool:
    return RoleAssignment.objects.filter(partnership=partnership, user_id=user_id).exists()


def personal_data(*, partnership: Partnership, person: User) -> PersonalData:
    """Everything the partnership holds about `person`, section by section."""
    p, u = partnership, person
    sections = [
        Section(
            "Account",
            ("Name", "Email", "Account made", "Last signed in", "Two-factor authentication"),
            [
                (
                    u.full_name,
                    u.email,
                    _day(u.date_joined),
                    _day(u.last_login),
                    "Set up" if Authenticator.objects.filter(user=u).exists() else "Not set up",
                )
            ],
        ),
        Section(
            "Roles",
            ("Role", "School", "From", "To"),
            [
                (r.get_role_display(), r.school.name if r.school_id else "", _day(r.start), _day(r.end))
                for r in RoleAssignment.objects.filter(partnership=p, user=u)
                .select_related("school")
                .order_by("start", "pk")
            ],
        ),
        Section(
            "School staff and governor records",
            ("School", "Name", "Email", "Position"),
            [
                (x.school.name, x.full_name, x.email, x.get_position_display())
                for x in Person.objects.filter(Q(user=u) | Q(email__iexact=u.email), partnership=p)
                .select_related("school")
                .order_by("school__name", "pk")
            ],
        ),
        Section(
            "Invitations",
            ("Email", "Name", "Role", "Sent"),
            [
                (i.email, i.full_name, Role(i.role).label if i.role in Role.values else i.role, _day(i.created_at))
                for i in Invitation.objects.filter(Q(accepted_by=u) | Q(email__iexact=u.email), partnership=p).order_by(
                    "created_at", "pk"
                )
            ],
        ),
        Section(
            "Meeting invitations and answers",
            ("Meeting", "Date", "Answer", "Apologies reason"),
            [
                (
                    i.meeting.title,
                    _day(i.meeting.starts),
                    i.get_answer_display(),
                    i.apologies_reason,
                )
                for i in Invitee.objects.filter(meeting__partnership=p, user=u)
                .select_related("meeting")
                .order_by("meeting__starts", "pk")
            ],
        ),
        Section(
            "Agenda items presented",
            ("Meeting", "Item"),
            [
                (a.meeting.title, a.title)
                for a in AgendaItem.objects.filter(meeting__partnership=p, presenter=u)
                .select_related("meeting")
                .order_by("meeting__starts", "position")
            ],
        ),
        Section(
            "Papers uploaded",
            ("Meeting", "Paper"),
            [
                (x.item.meeting.title, x.name)
                for x in Paper.objects.filter(item__meeting__partnership=p, uploaded_by=u)
                .select_related("item__meeting")
                .order_by("pk")
            ],
        ),
        Section(
            "Action points",
            ("Meeting", "Action", "Due", "Status"),
            [
                (a.meeting.title, a.description, _day(a.due), a.get_status_display())
                for a in ActionPoint.objects.filter(meeting__partnership=p, owner=u)
                .select_related("meeting")
                .order_by("due", "pk")
            ],
        ),
        Section(
            "Declarations of interest",
            ("Declared on", "Interests"),
            [
                (
                    _day(d.declared_on),
                    "Nothing to declare"
                    if d.nothing_to_declare
                    else "; ".join(f"{i.get_kind_display()}: {i.description}" for i in d.interests.all()),
                )
                for d in InterestDeclaration.objects.filter(partnership=p, user=u)
                .prefetch_related("interests")
                .order_by("declared_on", "pk")
            ],
        ),
        Section(
            "Elections",
            ("Office", "Term from", "Elected"),
            [
                (
                    c.election.get_office_display(),
                    _day(c.election.term_starts),
                    "Yes" if c.election.elected_id == u.pk else "No",
                )
                for c in Candidate.objects.filter(election__partnership=p, user=u)
                .select_related("election")
                .order_by("election__term_starts", "pk")
            ],
        ),
        Section(
            "Agreement signatures",
            ("Version", "School", "Signed as", "Signed", "How", "From address", "Browser"),
            [
                (
                    str(s.copy.version.number),
                    s.copy.school.name,
                    s.role_label,
                    _day(s.signed_at),
                    s.method,
                    s.ip or "",
                    s.user_agent,
                )
                for s in AgreementSignature.objects.filter(copy__version__partnership=p, signer=u)
                .select_related("copy__version", "copy__school")
                .order_by("signed_at", "pk")
            ],
        ),
        Section(
            "Requests for contribution addressed to this email",
            ("Reference", "School", "Amount"),
            [
                (r.reference, r.school.name, f"£{r.amount:,.2f}")
                for r in ContributionRequest.objects.filter(year__partnership=p, addressed_email__iexact=u.email)
                .select_related("school")
                .order_by("pk")
            ],
        ),
        Section(
            "Payments recorded",
            ("Request", "Amount", "Received"),
            [
                (x.request.reference, f"£{x.amount:,.2f}", _day(x.received_on))
                for x in Payment.objects.filter(request__year__partnership=p, recorded_by=u)
                .select_related("request")
                .order_by("pk")
            ],
        ),
        Section(
            "Bookings made",
            ("School", "Activity", "On", "Credits"),
            [
                (b.subscription.school.name, b.item.name, _day(b.on), f"{b.credits.normalize():f}")
                for b in Booking.objects.filter(subscription__partnership=p, booked_by=u)
                .select_related("subscription__school", "item")
                .order_by("on", "pk")
            ],
        ),
        Section(
            "Visits made as adviser",
            ("School", "On"),
            [
                (v.school.name, _day(v.on))
                for v in Visit.objects.filter(partnership=p, adviser=u).select_related("school").order_by("on", "pk")
            ],
        ),
        Section(
            "Notes of visit read",
            ("School", "Visit on", "Read"),
            [
                (v.visit.school.name, _day(v.visit.on), _day(v.at))
                for v in VisitView.objects.filter(visit__partnership=p, user=u)
                .select_related("visit__school")
                .order_by("at", "pk")
            ],
        ),
        Section(
            "Joint Annual Reviews drafted",
            ("School", "Term", "State"),
            [
                (r.school.name, f"{r.get_term_display()} {r.year}", r.get_state_display())
                for r in Review.objects.filter(partnership=p, adviser=u).select_related("school").order_by("pk")
            ],
        ),
        Section(
            "PEP plans and panels",
            ("What", "Year"),
            [(f"Own plan: {x}", str(x.year)) for x in PepPlan.objects.filter(partnership=p, pep=u).order_by("year")]
            + [
                (f"Panel member ({x.get_seat_display()}) for {x.plan.pep.full_name}", str(x.plan.year))
                for x in PanelMember.objects.filter(plan__partnership=p, user=u)
                .select_related("plan__pep")
                .order_by("pk")
            ],
        ),
        Section(
            "Audit trail: what they did",
            ("When", "What"),
            [
                (_day(a.created_at), a.summary)
                for a in AuditEvent.objects.filter(partnership=p, actor=u).order_by("created_at", "pk")
            ],
        ),
    ]
    return PersonalData(person=u, partnership=p, made_at=timezone.now(), sections=sections, retained=list(RETAINED))


def erasure_refusal(*, partnership: Partnership, person: User, actor: User, on: datetime.date | None = None) -> str:
    """Why `person`'s details may not be erased now, or "" if they may: the one rule the page and the
    service both ask. Erasing changes the person's account everywhere, so only someone known to this
    partnership alone, whose roles have all ended, and who is not the one asking, is erased from here."""
    on = on or timezone.localdate()
    if person.pk == actor.pk:
        return "You cannot erase your own details: ask another coordinator"
    if not person.is_active and person.full_name.startswith(ERASED_NAME):
        return f"{person.full_name}'s details have already been erased"
    # Outside this partnership's scope on purpose: only whether another holds them, never what it holds.
    with scopes_disabled():
        elsewhere = RoleAssignment.objects.filter(user=person).exclude(partnership=partnership).exists()
    if elsewhere:
        return (
            f"{person.full_name} also belongs to another partnership: their account is shared, so it can only "
            "be erased when no other partnership holds their records"
        )
    if RoleAssignment.objects.filter(partnership=partnership, user=person).active(on).exists():
        return f"{person.full_name} still holds a role here: end their roles first"
    return ""
