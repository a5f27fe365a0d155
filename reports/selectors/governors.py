"""Reading governors' reports. `governors_term` gathers one school's term from the owning apps'
selectors (meetings, finance, subscriptions, partnerships) into a `GovernorsTerm`; a report stores it
as JSON (`term_to_json`) and the page and the PDF both render it back (`term_from_json`), so the two
always say the same, and say what was true when the report was generated.

A report holds only what the school's governors may see: the school's own attendance, money and
credits, decisions whose minutes went to every member (never a confidential item's), and a note of
visit's findings only where the note is shared with the school's governors.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone

from core.charts import bars, comparison_bars
from core.exports import Column, Kind, Table
from finance.selectors import school_statement
from meetings.models import Attendance
from meetings.selectors import decisions_between, school_attendance_between
from partnerships.calendar import TERM_LABELS, academic_year_label, academic_year_of
from partnerships.models import DevelopmentMilestone, Partnership, RoleAssignment
from partnerships.roles import SCHOOL_PERMISSIONS, Role
from partnerships.selectors.agreements import agreement_on
from partnerships.selectors.development import areas_for_school
from partnerships.selectors.members import membership_days
from partnerships.selectors.signing import blocks_to_sign, signing_board
from partnerships.selectors.terms import term_label, terms_for_years, terms_of_year
from reports.models import GovernorsReport, ReportRun, ReportSettings, TermSummary
from schools.models import School
from subscriptions.models import CreditEntry, Review
from subscriptions.selectors import credit_statement, review_of_term, school_visits_between, subscription_for

ZERO = Decimal("0.00")
NO_CREDITS = Decimal("0")
# Roles whose holders may read the note of a visit shared with them: a note named for a school's
# governors is the governors' to see, and so their report's.
GOVERNOR_ROLES = frozenset({Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS})


@dataclass(frozen=True)
class AttendanceLine:
    day: datetime.date
    meeting: str
    status: str  # an Attendance.Status value
    status_label: str


@dataclass(frozen=True)
class AttendanceCounts:
    present: int = 0
    substitute: int = 0
    apologies: int = 0
    absent: int = 0

    @property
    def total(self) -> int:
        return self.present + self.substitute + self.apologies + self.absent

    @property
    def represented(self) -> int:
        return self.present + self.substitute


@dataclass(frozen=True)
class TermAttendance:
    label: str
    recorded: int
    represented: int


@dataclass(frozen=True)
class DecisionLine:
    day: datetime.date
    meeting: str
    text: str
    vote: str


@dataclass(frozen=True)
class AreaLine:
    name: str
    status: str
    lead: str
    milestones_met: int
    milestones: int


@dataclass(frozen=True)
class MoneyYear:
    """finance.selectors.StatementYear's totals as the report keeps them: figures in the snapshot, not
    the live requests and payments a statement holds (a late payment changes the next version only)."""

    label: str
    asked: Decimal
    paid: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.asked - self.paid


@dataclass(frozen=True)
class CreditsTerm:
    label: str
    used: Decimal


@dataclass(frozen=True)
class Credits:
    plan: str
    granted: Decimal
    used_this_term: Decimal
    used_this_year: Decimal
    left: Decimal


@dataclass(frozen=True)
class VisitLine:
    day: datetime.date
    adviser: str
    findings: str  # empty unless the note is shared with the school's governors
    next_steps: str


@dataclass(frozen=True)
class ReviewLine:
    focus: str
    state: str
    confirmed: bool


@dataclass(frozen=True)
class AgreementLine:
    state: str  # AgreementTerm.state
    title: str
    starts: datetime.date | None
    ends: datetime.date | None
    copy_status: str
    outstanding: list[str] = field(default_factory=list)  # signatures still awaited on the school's copy


@dataclass(frozen=True)
class GovernorsTerm:
    partnership: str
    school: str
    urn: int
    academic_year: int
    term: str
    term_label: str
    starts: datetime.date
    ends: datetime.date
    covered_from: datetime.date  # the school's first and last days as a member within the term
    covered_to: datetime.date
    attendance: list[AttendanceLine]
    counts: AttendanceCounts
    year_attendance: list[TermAttendance]
    decisions: list[DecisionLine]
    areas: list[AreaLine]
    money: list[MoneyYear]
    credits: Credits | None
    credit_terms: list[CreditsTerm]
    visits: list[VisitLine]
    review: ReviewLine | None
    agreement: AgreementLine
    priorities: str
    impact: str

    @property
    def partial(self) -> bool:
        """The school joined or left during the term: the report covers its days as a member."""
        return (self.covered_from, self.covered_to) != (self.starts, self.ends)

    @property
    def is_empty(self) -> bool:
        """Nothing was recorded for the school this term."""
        return not (self.attendance or self.decisions or self.areas or self.money or self.credits or self.visits) and (
            self.review is None
        )

    @property
    def money_asked(self) -> Decimal:
        return sum((year.asked for year in self.money), ZERO)

    @property
    def money_paid(self) -> Decimal:
        return sum((year.paid for year in self.money), ZERO)

    @property
    def money_outstanding(self) -> Decimal:
        return self.money_asked - self.money_paid


# --- The snapshot as JSON ----------------------------------------------------------------------------

_TYPES = {cls.__name__: cls for cls in (AttendanceLine, AttendanceCounts, TermAttendance, DecisionLine, AreaLine)} | {
    cls.__name__: cls for cls in (MoneyYear, CreditsTerm, Credits, VisitLine, ReviewLine, AgreementLine, GovernorsTerm)
}


def _dump(value):
    if dataclasses.is_dataclass(value):
        return {"_type": type(value).__name__} | {
            f.name: _dump(getattr(value, f.name)) for f in dataclasses.fields(value)
        }
    if isinstance(value, Decimal):
        return {"_decimal": str(value)}
    if isinstance(value, datetime.date):
        return {"_date": value.isoformat()}
    if isinstance(value, list):
        return [_dump(item) for item in value]
    return value


def _load(value, types: dict[str, type] = _TYPES):
    """The value `_dump` wrote, its dataclasses rebuilt from `types` (their names)."""
    if isinstance(value, list):
        return [_load(item, types) for item in value]
    if not isinstance(value, dict):
        return value
    if "_decimal" in value:
        return Decimal(value["_decimal"])
    if "_date" in value:
        return datetime.date.fromisoformat(value["_date"])
    cls = types[value["_type"]]
    return cls(**{name: _load(item, types) for name, item in value.items() if name != "_type"})


def snapshot_to_json(value) -> dict:
    """A report's dataclasses as JSON: Decimals and dates kept exactly, each dataclass named."""
    return _dump(value)


def snapshot_from_json(data: dict, types: dict[str, type]):
    """What `snapshot_to_json` wrote, rebuilt from `types`: the dataclasses a report may hold, by name."""
    return _load(data, types)


def term_to_json(term: GovernorsTerm) -> dict:
    return _dump(term)


def term_from_json(data: dict) -> GovernorsTerm:
    return _load(data)


def json_sha256(data: dict) -> str:
    """The fingerprint of a report's data: SHA-256 of its canonical JSON."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


# --- Gathering a school's term -------------------------------------------------------------------------


def term_of(partnership: Partnership, academic_year: int, name: str):
    """The partnership's term (saved dates or the calendar's defaults), or None for a name that is no term."""
    return next((t for t in terms_of_year(partnership, academic_year) if t.name == name), None)


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


def _count(lines: list[Attendance]) -> AttendanceCounts:
    statuses = [line.status for line in lines]
    S = Attendance.Status
    return AttendanceCounts(
        present=statuses.count(S.PRESENT),
        substitute=statuses.count(S.SUBSTITUTE),
        apologies=statuses.count(S.APOLOGIES),
        absent=statuses.count(S.ABSENT),
    )


def _used(entries: list[CreditEntry]) -> Decimal:
    """Credits used by these entries: bookings, less refunds, with the adjustments to actual time."""
    kinds = {CreditEntry.Kind.BOOKING, CreditEntry.Kind.REFUND, CreditEntry.Kind.ADJUSTMENT}
    return -sum((entry.amount for entry in entries if entry.kind in kinds), NO_CREDITS)


def governors_term(partnership: Partnership, school: School, academic_year: int, name: str) -> GovernorsTerm:
    """Everything the school's governors are told about one term. Refused (ValidationError) for a term
    that does not exist or a school that was a member on none of its days; a school that joined or left
    during the term is reported for its days as a member."""
    term = term_of(partnership, academic_year, name)
    if term is None:
        raise ValidationError({"term": "Choose a term"})
    days = membership_days(partnership, school, term.starts, term.ends)
    if days is None:
        raise ValidationError(
            {"school": f"{school.name} was not a member of {partnership.name} on any day of the {term_label(term)}"}
        )
    first, last = days
    year_terms = [t for t in terms_of_year(partnership, academic_year) if t.starts <= term.starts]

    # Attendance: the whole year to this term in one read, then this term's days as a member.
    year_lines = school_attendance_between(partnership, school, year_terms[0].starts, last)
    attendance = [a for a in year_lines if first <= _day(a.meeting.starts) <= last]
    year_attendance = []
    for t in year_terms:
        counts = _count([a for a in year_lines if t.starts <= _day(a.meeting.starts) <= t.ends])
        year_attendance.append(TermAttendance(f"{TERM_LABELS[t.name]} term", counts.total, counts.represented))

    decisions = [
        DecisionLine(_day(d.item.meeting.starts), d.item.meeting.title, d.text, d.vote_label)
        for d in decisions_between(partnership, first, last)
    ]
    areas = [
        AreaLine(
            name=part.area.name,
            status=part.area.get_status_display(),
            lead=str(part.lead) if part.lead else "",
            milestones_met=sum(1 for m in part.area.milestones.all() if m.status == "done"),
            milestones=len(part.area.milestones.all()),
        )
        for part in areas_for_school(school, academic_year).prefetch_related(
            Prefetch("area__milestones", queryset=DevelopmentMilestone.objects.order_by("due"))
        )
    ]
    statement = school_statement(partnership, school)
    money = [MoneyYear(year.year.label, year.asked, year.paid) for year in statement.years if year.year.starts <= last]

    credits = None
    credit_terms: list[CreditsTerm] = []
    subscription = subscription_for(school, partnership, academic_year)
    if subscription is not None:
        credits_read = credit_statement(subscription)
        entries = [e for e in credits_read.entries if _day(e.recorded_at) <= last]
        for t in year_terms:
            credit_terms.append(
                CreditsTerm(
                    f"{TERM_LABELS[t.name]} term",
                    _used([e for e in entries if t.starts <= _day(e.recorded_at) <= t.ends]),
                )
            )
        credits = Credits(
            plan=subscription.plan.name,
            granted=credits_read.granted,
            used_this_term=_used([e for e in entries if first <= _day(e.recorded_at) <= last]),
            used_this_year=_used(entries),
            left=entries[-1].balance_after if entries else NO_CREDITS,
        )

    visits = []
    for visit in school_visits_between(partnership, school, first, last):
        shared = bool(GOVERNOR_ROLES & set(visit.shared_with))
        visits.append(
            VisitLine(
                day=visit.on,
                adviser=str(visit.adviser),
                findings=visit.judgements if shared else "",
                next_steps=visit.next_steps if shared else "",
            )
        )
    review = review_of_term(partnership, school, academic_year, name)
    review_line = None
    if review is not None:
        review_line = ReviewLine(
            focus=review.get_term_display(),
            state=review.get_state_display(),
            confirmed=review.state in (Review.State.CONFIRMED, Review.State.SUBMITTED),
        )
    agreement = _agreement(partnership, school, last)
    summary = TermSummary.objects.filter(partnership=partnership, academic_year=academic_year, term=name).first()
    return GovernorsTerm(
        partnership=partnership.name,
        school=school.name,
        urn=school.urn,
        academic_year=academic_year,
        term=name,
        term_label=term_label(term),
        starts=term.starts,
        ends=term.ends,
        covered_from=first,
        covered_to=last,
        attendance=[
            AttendanceLine(_day(a.meeting.starts), a.meeting.title, a.status, a.get_status_display())
            for a in attendance
        ],
        counts=_count(attendance),
        year_attendance=year_attendance,
        decisions=decisions,
        areas=areas,
        money=money,
        credits=credits,
        credit_terms=credit_terms,
        visits=visits,
        review=review_line,
        agreement=agreement,
        priorities=summary.priorities if summary else "",
        impact=summary.impact if summary else "",
    )


def _agreement(partnership: Partnership, school: School, day: datetime.date) -> AgreementLine:
    term = agreement_on(partnership, day)
    if term.version is None:
        return AgreementLine(state=term.state, title="", starts=None, ends=None, copy_status="")
    boards = signing_board(term.version, schools=[school], on=day)
    copy_status = boards[0].copy.get_status_display() if boards else ""
    outstanding = [block.role_label for block in boards[0].outstanding] if boards else []
    return AgreementLine(
        state=term.state,
        title=f"Version {term.version.number}",
        starts=term.starts,
        ends=term.ends,
        copy_status=copy_status,
        outstanding=outstanding,
    )


# --- Charts --------------------------------------------------------------------------------------------


def term_charts(term: GovernorsTerm) -> dict[str, str]:
    """The report's charts as SVG that read without colour (core.charts: hatched against solid, every
    figure written): attendance across the year, credits used, contributions asked and paid."""
    charts = {
        "attendance": comparison_bars(
            title=f"{term.school}'s attendance across {academic_year_label(term.academic_year)}",
            description="Meetings of the partnership and its groups at which the school's attendance was "
            "recorded, and at how many it was present or sent a substitute, term by term.",
            rows=[(row.label, Decimal(row.recorded), Decimal(row.represented)) for row in term.year_attendance],
            labels=("Meetings", "Represented"),
            money=False,
        )
    }
    if term.credits is not None:
        charts["credits"] = bars(
            title=f"Credits used, {academic_year_label(term.academic_year)}",
            description=f"Credits the school used each term; {term.credits.left} left.",
            rows=[(row.label, row.used) for row in term.credit_terms],
            label="Credits used",
            money=False,
        )
    if term.money:
        charts["contributions"] = comparison_bars(
            title=f"{term.school}'s contributions",
            description="What the school was asked for and has paid, financial year by financial year.",
            rows=[(row.label, row.asked, row.paid) for row in term.money],
            labels=("Asked for", "Paid"),
        )
    return charts


# --- Who reads what ------------------------------------------------------------------------------------


def report_settings_of(partnership: Partnership) -> ReportSettings:
    """The partnership's settings, or the defaults (unsaved) where the coordinator has chosen none."""
    return ReportSettings.objects.filter(partnership=partnership).first() or ReportSettings(partnership=partnership)


def roles_with_school_permission(permission: str) -> list[str]:
    """The roles whose holders have `permission` on their school (partnerships.roles' one map)."""
    return [role for role, perms in SCHOOL_PERMISSIONS.items() if permission in perms]


def report_readers(partnership: Partnership, school: School, on: datetime.date) -> list[str]:
    """The email addresses of those who read the school's released reports: its governors today."""
    roles = RoleAssignment.objects.filter(
        partnership=partnership, school=school, role__in=roles_with_school_permission("read_governors_report")
    ).active(on)
    return sorted({assignment.user.email for assignment in roles.select_related("user")})


def report_may_read(tenant, report: GovernorsReport) -> bool:
    """THE rule: the coordinator reads every report; the school's headteacher every version of its
    own; its governors only a released one. To anyone else it does not exist."""
    if tenant.has("manage_reports"):
        return True
    perms = tenant.school_perms(report.school_id)
    if "release_governors_report" in perms:
        return True
    return "read_governors_report" in perms and report.released


def readable_school_ids(tenant) -> set[int]:
    return {
        pk
        for pk in {r.school_id for r in tenant.roles if r.school_id}
        if "read_governors_report" in tenant.school_perms(pk)
    }


def school_reports(tenant, school_id: int) -> list[GovernorsReport]:
    """The school's reports this reader may read, newest term first; for a governor only each term's
    latest released version. One query."""
    reports = [
        report
        for report in GovernorsReport.objects.filter(partnership=tenant.partnership, school_id=school_id)
        .select_related("school")
        .order_by("-academic_year", "-term", "-version")
        .defer("data")
        if report_may_read(tenant, report)
    ]
    if "release_governors_report" in tenant.school_perms(school_id) or tenant.has("manage_reports"):
        return reports
    latest: dict[tuple[int, str], GovernorsReport] = {}
    for report in reports:
        latest.setdefault((report.academic_year, report.term), report)
    return list(latest.values())


def reports_index(tenant) -> list[tuple[School, list[GovernorsReport]]]:
    """Each school the reader governs or heads, by name, with the reports of it they may read
    (`school_reports`): the reports page's lists, one query per school the reader holds a role in."""
    schools = School.objects.filter(pk__in=readable_school_ids(tenant)).order_by("name")
    return [(school, school_reports(tenant, school.pk)) for school in schools]


def reports_index_table(schools: list[tuple[School, list[GovernorsReport]]]) -> Table:
    """The reports page's lists of governors' reports as one download (`reports_index`): each report
    the reader sees there, with its term, version, the day it was generated and whether it is released."""
    return Table(
        title="Governors' reports",
        columns=[
            Column("School"),
            Column("URN", Kind.REFERENCE),
            Column("Term"),
            Column("Version", Kind.INTEGER),
            Column("Generated", Kind.DATE),
            Column("Released to governors"),
            Column("Released on", Kind.DATE),
        ],
        rows=[
            (
                school.name,
                school.urn,
                report.term_label,
                report.version,
                timezone.localtime(report.generated_at).date(),
                "Released" if report.released else "Not yet",
                timezone.localtime(report.released_at).date() if report.released else None,
            )
            for school, reports in schools
            for report in reports
        ],
    )


def latest_released(tenant) -> list[GovernorsReport]:
    """The newest released report of each school the reader governs: the dashboard's panel."""
    ids = readable_school_ids(tenant)
    if not ids:
        return []
    reports = (
        GovernorsReport.objects.filter(partnership=tenant.partnership, school_id__in=ids, released_at__isnull=False)
        .select_related("school")
        .defer("data")
        .order_by("school_id", "-academic_year", "-term", "-version")
    )
    latest: dict[int, GovernorsReport] = {}
    for report in reports:
        latest.setdefault(report.school_id, report)
    return sorted(latest.values(), key=lambda r: r.school.name)


def awaiting_release(tenant) -> list[GovernorsReport]:
    """The latest version of each report the headteacher has still to comment on and release. One query."""
    ids = [
        pk
        for pk in {r.school_id for r in tenant.roles if r.school_id}
        if "release_governors_report" in tenant.school_perms(pk)
    ]
    if not ids:
        return []
    latest: dict[tuple, GovernorsReport] = {}
    for report in (
        GovernorsReport.objects.filter(partnership=tenant.partnership, school_id__in=ids)
        .select_related("school")
        .defer("data")
        .order_by("school__name", "-academic_year", "-term", "-version")
    ):
        latest.setdefault((report.school_id, report.academic_year, report.term), report)
    return [report for report in latest.values() if not report.released]


def chair_signing(tenant) -> dict | None:
    """What the chair of governors must sign in the agreement in force today, and its state."""
    if not any("see_governors_agreement" in tenant.school_perms(pk) for pk in readable_school_ids(tenant)):
        return None
    term = agreement_on(tenant.partnership)
    return {"agreement": term, "to_sign": blocks_to_sign(tenant.user, term.version) if term.version else []}


def last_ended_term(partnership: Partnership, today: datetime.date):
    """The last term to have ended by `today` (this academic year's or last year's), whose reports are
    due: beat generates them, and the coordinator is told while they have not been. One query."""
    year = academic_year_of(today)
    ended = [t for t in terms_for_years(partnership, year - 1, year) if t.ends < today]
    return ended[-1] if ended else None


def term_not_generated(partnership: Partnership, today: datetime.date):
    """The last ended term, if no run has ever generated its governors' reports; else None. Two queries."""
    term = last_ended_term(partnership, today)
    if term is None:
        return None
    if ReportRun.objects.filter(partnership=partnership, academic_year=term.academic_year, term=term.name).exists():
        return None
    return term


def runs_of_term(partnership: Partnership, academic_year: int, name: str) -> ReportRun | None:
    return (
        ReportRun.objects.filter(partnership=partnership, academic_year=academic_year, term=name)
        .order_by("-started_at", "-pk")
        .first()
    )


def term_reports(partnership: Partnership, academic_year: int, name: str) -> list[GovernorsReport]:
    """Every version of every school's report for the term, for the coordinator. One query."""
    return list(
        GovernorsReport.objects.filter(partnership=partnership, academic_year=academic_year, term=name)
        .select_related("school")
        .defer("data")
        .order_by("school__name", "-version")
    )
