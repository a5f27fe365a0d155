"""The agreement's reminders and warnings: who is due one today, and what the dashboard warns of.

- Signatories with copies still to sign are reminded at most once a week, and not in the first week
  after the copies were made (publishing asked them then). The version they sign is the one published
  version (publishing supersedes the version before it), while its term has not ended.
- The coordinator and the chair are told three months and one month before the agreement in force ends,
  once each per version, unless a later version already published carries on the day after; a renewal
  still only in draft does not stop the warning, which then says so.

These read only: the tasks in partnerships.tasks.agreements send the reminders and record them as
AgreementReminder rows, which are what "reminded already" means here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import User
from core.dates import ONE_DAY, add_months, has_ended, in_force
from partnerships.models import AgreementCopy, AgreementReminder, AgreementVersion, Partnership, RoleAssignment
from partnerships.roles import Role, permissions_for
from partnerships.selectors.agreements import AgreementTerm, agreement_on
from partnerships.selectors.signing import SIGNS_AS, block_role_label, blocks_to_sign, signing_board

V = AgreementVersion.Status
Kind = AgreementReminder.Kind

# The publish asked everyone to sign; the first reminder comes a week after the copies were made, the
# next a week after that reminder, and so on while anything is left to sign.
FIRST_SIGN_REMINDER_AFTER = datetime.timedelta(days=7)
SIGN_REMINDER_EVERY = datetime.timedelta(days=7)

# Before the end of the agreement in force: each warning's kind and how many calendar months before the
# last day it falls due, the later one first (after a missed run, only the warning now due is sent).
EXPIRY_WARNINGS = ((Kind.EXPIRES_IN_1_MONTH, 1), (Kind.EXPIRES_IN_3_MONTHS, 3))
# Whom the agreement's end is told to, by email and on the dashboard.
WARNED_OF_EXPIRY = (Role.COORDINATOR, Role.CHAIR)
# Who renews the agreement (the agreement pages' own permission).
RENEWS = "change_constitution"


def version_to_sign(
    partnership: Partnership, today: datetime.date | None = None, term: AgreementTerm | None = None
) -> AgreementVersion | None:
    """The version whose copies are being signed: the published one, unless its term is over. With the
    agreement in force on `today` (`term`) already read, no query when that is the published version."""
    today = today or timezone.localdate()
    if term is not None and term.version is not None and term.version.status == V.PUBLISHED:
        version = term.version  # there is only ever one published version: publishing supersedes the rest
    else:
        version = (
            AgreementVersion.objects.filter(partnership=partnership, status=V.PUBLISHED)
            .select_related("partnership")
            .order_by("-number")
            .first()
        )
    if version is None or has_ended(version.ends, today):
        return None
    return version


@dataclass
class SignReminder:
    user: User
    version: AgreementVersion
    copies: list[AgreementCopy] = field(default_factory=list)  # every copy they have still to sign


def _made_on(copy: AgreementCopy) -> datetime.date:
    return timezone.localtime(copy.made_at).date()


def sign_reminders_due(partnership: Partnership, today: datetime.date | None = None) -> list[SignReminder]:
    """Each person who may sign a block of a copy still awaiting signatures, with those copies, who is
    due a reminder today: a copy of theirs was made at least a week ago, and they have had no reminder to
    sign this version in the last week. Six queries, however many schools and signatories."""
    today = today or timezone.localdate()
    version = version_to_sign(partnership, today)
    if version is None:
        return []
    waiting: dict[int, SignReminder] = {}
    has_old_copy = {}  # user pk -> whether a copy of theirs is old enough for a reminder
    for state in signing_board(version, on=today):
        if state.copy.status != AgreementCopy.Status.AWAITING:
            continue
        old_enough = _made_on(state.copy) <= today - FIRST_SIGN_REMINDER_AFTER
        for block_state in state.outstanding:
            for user in block_state.holders:
                reminder = waiting.setdefault(user.pk, SignReminder(user, version))
                if state.copy not in reminder.copies:
                    reminder.copies.append(state.copy)
                has_old_copy[user.pk] = has_old_copy.get(user.pk, False) or old_enough
    if not waiting:
        return []
    reminded = set(
        AgreementReminder.objects.filter(
            version=version, kind=Kind.SIGN, day__gt=today - SIGN_REMINDER_EVERY
        ).values_list("user_id", flat=True)
    )
    return [r for pk, r in waiting.items() if has_old_copy[pk] and pk not in reminded]


@dataclass(frozen=True)
class Successors:
    """What follows a version: a renewal being drafted, and a later published version."""

    draft: AgreementVersion | None
    published: AgreementVersion | None  # the first published after it, if any

    def carry_on(self, version: AgreementVersion) -> bool:
        """Whether a published version takes over the day after `version`'s last day (or sooner)."""
        return self.published is not None and (version.ends is None or self.published.starts <= version.ends + ONE_DAY)


def successors_of(version: AgreementVersion) -> Successors:
    later = list(
        AgreementVersion.objects.filter(partnership_id=version.partnership_id, number__gt=version.number).order_by(
            "number"
        )
    )
    return Successors(
        draft=next((v for v in later if v.status == V.DRAFT), None),
        published=next((v for v in later if v.status != V.DRAFT), None),
    )


def expiry_warning_due(version: AgreementVersion, today: datetime.date) -> str | None:
    """The warning of the version's end due today (while it is in force), the later one if both are."""
    if version.ends is None or not in_force(version.starts, version.ends, today):
        return None
    for kind, months in EXPIRY_WARNINGS:
        if today >= add_months(version.ends, -months):
            return kind
    return None


@dataclass
class ExpiryReminder:
    user: User
    version: AgreementVersion
    kind: str
    successors: Successors
    may_renew: bool


def expiry_reminders_due(partnership: Partnership, today: datetime.date | None = None) -> list[ExpiryReminder]:
    """The coordinator and the chair, each due the warning of the agreement's end that falls due today,
    unless they have had that warning for this version already. Four queries at most."""
    today = today or timezone.localdate()
    term = agreement_on(partnership, today)
    if term.state != "in_force" or term.version is None:
        return []
    version = term.version
    kind = expiry_warning_due(version, today)
    if kind is None:
        return []
    successors = successors_of(version)
    if successors.carry_on(version):
        return []
    warned = set(AgreementReminder.objects.filter(version=version, kind=kind).values_list("user_id", flat=True))
    # Every role in force of each person warned: what they may do with the agreement (renew it, or only
    # read it) comes from all their roles, not only these two.
    in_force_today = RoleAssignment.objects.filter(partnership=partnership).active(today)
    warned_people = in_force_today.filter(role__in=WARNED_OF_EXPIRY).values("user_id")
    held: dict[int, list[RoleAssignment]] = {}
    users: dict[int, User] = {}
    for assignment in (
        in_force_today.filter(user_id__in=warned_people).select_related("user").order_by("user__full_name", "user_id")
    ):
        users[assignment.user_id] = assignment.user
        held.setdefault(assignment.user_id, []).append(assignment)
    return [
        ExpiryReminder(user, version, kind, successors, RENEWS in permissions_for(held[pk]))
        for pk, user in users.items()
        if pk not in warned
    ]


# --- The dashboard's panels --------------------------------------------------------------------------


def warned_of_expiry(roles) -> bool:
    """Whether someone with `roles` (those in force) is told of the agreement's end."""
    return any(r.role in WARNED_OF_EXPIRY for r in roles)


@dataclass(frozen=True)
class AgreementEnding:
    version: AgreementVersion
    expired: bool
    days_left: int  # 0 on its last day; negative once expired
    successors: Successors


def agreement_ending(
    partnership: Partnership, term: AgreementTerm | None = None, today: datetime.date | None = None
) -> AgreementEnding | None:
    """The agreement in force if it has expired or ends within a month, and no published version carries
    on after it; None otherwise. One query (with `term` given), and none unless it is ending."""
    today = today or timezone.localdate()
    term = term or agreement_on(partnership, today)
    version = term.version
    if version is None or version.ends is None:
        return None
    expired = term.state == "expired"
    if not expired and not (term.state == "in_force" and today >= add_months(version.ends, -1)):
        return None
    successors = successors_of(version)
    if successors.carry_on(version):
        return None
    return AgreementEnding(version, expired, (version.ends - today).days, successors)


def signs_agreements(roles) -> bool:
    """Whether any of `roles` signs a block of the agreement in the app."""
    signing_roles = set(SIGNS_AS.values())
    return any(r.role in signing_roles for r in roles)


@dataclass
class CopyToSign:
    copy: AgreementCopy
    roles: list[str]  # what they sign it as: "Headteacher", "Chair", ...


@dataclass
class ToSign:
    version: AgreementVersion
    copies: list[CopyToSign]


def agreement_to_sign(
    user: User, roles, partnership: Partnership, today: datetime.date | None = None, term: AgreementTerm | None = None
) -> ToSign | None:
    """The copies of the version being signed that `user` (holding `roles` today) may sign a block of,
    each with the roles they sign as; None if there are none. No query for someone whose roles sign
    nothing; six at most (five with `term`, the agreement in force, read already), however many schools."""
    if not signs_agreements(roles):
        return None
    version = version_to_sign(partnership, today, term)
    if version is None:
        return None
    mine: dict[int, CopyToSign] = {}
    for copy, block in blocks_to_sign(user, version, today):
        mine.setdefault(copy.pk, CopyToSign(copy, [])).roles.append(block_role_label(block))
    return ToSign(version, list(mine.values())) if mine else None
