"""Offices: recording the election of the chair or vice chair under the agreement's rules.

The agreements say who may stand (Exeter Beacon: "chaired by a Head teacher, elected by the
partnership annually"), how long a term of office is, and how long a chair may serve ("for up to, but
no longer than 4 years"); who may stand is defined once, in `selectors.offices.eligible_candidates`.
An election ends the previous holder's role the day before the new term of office starts and starts
the winner's, so the roles (and the permissions they grant) always follow the recorded elections.
Like every end date, `term_ends` is the last day of office.
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import ONE_DAY, date_label, in_force
from partnerships.models import Candidate, Election, Partnership, RoleAssignment
from partnerships.roles import Role
from partnerships.selectors.governance import constitution_of, election_of
from partnerships.selectors.offices import OFFICE_ROLES, add_years, eligible_candidates
from partnerships.services.roles import role_end, role_start

MAX_CANDIDATES = 20
MAX_NOTES = 2000


def _check_candidates(
    *,
    partnership: Partnership,
    office: str,
    candidates: Sequence[tuple[object, int | None]],
    held_on: datetime.date,
    term_starts: datetime.date,
    term_ends: datetime.date,
    errors: dict[str, str],
) -> dict[int, object]:
    """Per-candidate rules, from the one definition of who may stand (the form offers the same people);
    returns each candidate's school as headteacher on the first day of the term of office."""
    eligible = eligible_candidates(partnership, office, held_on=held_on, term_starts=term_starts, term_ends=term_ends)
    schools: dict[int, object] = {}
    seen: set[int] = set()
    for number, (user, _) in enumerate(candidates, start=1):
        key = f"candidate_{number}"
        if user.pk in seen:
            errors[key] = f"{user} is already a candidate: list each person once"
            continue
        seen.add(user.pk)
        refusal = eligible.refusal(user)
        if refusal:
            errors[key] = refusal
        elif school := eligible.school_of(user):
            schools[user.pk] = school
    return schools


def _check_outcome(
    *,
    method: str,
    candidates: Sequence[tuple[object, int | None]],
    elected,
    notes: str,
    errors: dict[str, str],
) -> None:
    if method == Election.Method.ACCLAMATION:
        if len(candidates) > 1:
            errors["method"] = (
                f"An election by acclamation has one candidate, and {len(candidates)} are listed: "
                "choose 'A vote' and enter the votes, or list only the person elected"
            )
        for number, (_, votes) in enumerate(candidates, start=1):
            if votes is not None:
                errors[f"votes_{number}"] = "Leave the votes empty: nobody votes in an election by acclamation"
    else:
        for number, (user, votes) in enumerate(candidates, start=1):
            if votes is None:
                errors[f"votes_{number}"] = f"Enter the number of votes for {user}"
    if elected is None:
        errors["elected"] = "Choose who was elected"
        return
    if elected.pk not in {user.pk for user, _ in candidates}:
        errors["elected"] = f"{elected} was not a candidate: choose one of the candidates, or add them as one"
        return
    if method != Election.Method.VOTES or any(votes is None for _, votes in candidates):
        return
    votes_of = {user.pk: votes for user, votes in candidates}
    top = max(votes_of.values())
    if votes_of[elected.pk] < top:
        leader = next(user for user, votes in candidates if votes == top)
        errors["elected"] = (
            f"{elected} had {votes_of[elected.pk]} votes and {leader} had {top}: "
            "the person elected must have the most votes"
        )
        return
    tied = [user for user, votes in candidates if votes == top]
    if len(tied) > 1 and not notes.strip():
        names = ", ".join(str(user) for user in tied[:-1]) + f" and {tied[-1]}"
        errors["notes"] = (
            f"{names} tied with {top} votes: record here how the tie was broken, and choose who was elected"
        )


@transaction.atomic
def election_record(
    *,
    actor: User,
    partnership: Partnership,
    office: str,
    held_on: datetime.date,
    method: str,
    candidates: Sequence[tuple[object, int | None]],
    elected: User | None,
    term_starts: datetime.date | None = None,
    term_ends: datetime.date | None = None,
    notes: str = "",
) -> Election:
    """Record an election and hand the office over.

    `candidates` is a list of (user, votes); votes are None for an election by acclamation. Errors are
    keyed by form field: office, held_on, term_starts, term_ends, method, candidate_N / votes_N (N
    counting the candidates from 1), elected and notes.
    """
    today = timezone.localdate()
    constitution = constitution_of(partnership)
    errors: dict[str, str] = {}
    if office not in OFFICE_ROLES:
        raise ValidationError({"office": "Choose the chair or the vice chair"})
    if method not in Election.Method.values:
        raise ValidationError({"method": "Choose how the election was decided"})
    role = OFFICE_ROLES[office]
    label = Election.Office(office).label.lower()
    other_role = Role.VICE_CHAIR if role == Role.CHAIR else Role.CHAIR
    notes = notes or ""
    if len(notes) > MAX_NOTES:
        errors["notes"] = f"Notes must be {MAX_NOTES} characters or fewer"
    if held_on > today:
        errors["held_on"] = "The date of the election must be today or in the past"
    term_starts = term_starts or held_on
    term_years = constitution.chair_term_years  # None: the agreement sets no term of office
    longest_end = add_years(term_starts, term_years) - ONE_DAY if term_years else None  # last day of a full term
    term_ends = term_ends or longest_end
    if term_ends is None:
        errors["term_ends"] = "The agreement sets no term of office: enter the last day in office"
    elif term_ends < term_starts:
        errors["term_ends"] = f"The term of office cannot end before it starts on {date_label(term_starts)}"
    elif office == Election.Office.CHAIR and longest_end is not None and term_ends > longest_end:
        errors["term_ends"] = (
            f"The agreement sets a chair's term of office of {term_years} year{'s' if term_years != 1 else ''}: "
            f"a term of office starting on {date_label(term_starts)} must have its last day by "
            f"{date_label(longest_end)}"
        )
    if not candidates:
        errors["candidate_1"] = "Enter at least one candidate"
    elif len(candidates) > MAX_CANDIDATES:
        errors["candidate_1"] = f"Enter at most {MAX_CANDIDATES} candidates"
    if "candidate_1" in errors:
        raise ValidationError(errors)

    schools = _check_candidates(
        partnership=partnership,
        office=office,
        candidates=candidates,
        held_on=held_on,
        term_starts=term_starts,
        term_ends=term_ends,
        errors=errors,
    )
    _check_outcome(method=method, candidates=candidates, elected=elected, notes=notes, errors=errors)
    if errors:
        raise ValidationError(errors)

    # Elections already recorded for this office that the new term would run into.
    clash = (
        Election.objects.filter(partnership=partnership, office=office, term_starts__gte=term_starts)
        .select_related("elected")
        .order_by("term_starts")
        .first()
    )
    if clash is not None and clash.term_starts <= term_ends:
        raise ValidationError(
            {
                "term_starts": f"{clash.elected} was elected {label} for the term of office from "
                f"{date_label(clash.term_starts)}: this term of office would overlap it"
            }
        )

    office_roles = list(
        RoleAssignment.objects.filter(partnership=partnership, role__in=[role, other_role])
        .select_related("user", "election")
        .order_by("start")
    )
    mine = [r for r in office_roles if r.role == role]
    # A role the winner was given by hand from the first day of the term is taken over by the election.
    adopted = next(
        (r for r in mine if r.user_id == elected.pk and r.start == term_starts and election_of(r) is None),
        None,
    )
    for assignment in mine:
        if assignment is not adopted and in_force(term_starts, term_ends, assignment.start):
            raise ValidationError(
                {
                    "term_starts": f"{assignment.user} is {label} from {date_label(assignment.start)}: "
                    "end that role on the people page first"
                }
            )
    for assignment in office_roles:
        if assignment.role == other_role and assignment.user_id == elected.pk and assignment.is_active(term_starts):
            until = f" until the end of {date_label(assignment.end)}" if assignment.end else ""
            raise ValidationError(
                {
                    "elected": f"{elected} is {assignment.get_role_display().lower()}{until}: one person cannot "
                    f"hold both offices, so end that role on the people page first"
                }
            )

    # Hand the office over: the previous holders' last day is the day before the new term starts.
    last_day = term_starts - ONE_DAY
    for assignment in mine:
        if assignment.start < term_starts and assignment.is_active(term_starts):
            try:
                role_end(actor=actor, assignment=assignment, end=last_day)
            except ValidationError as error:
                raise ValidationError(
                    {
                        "term_starts": f"{assignment.user}'s role as {label} cannot end on {date_label(last_day)}: "
                        + " ".join(error.messages)
                    }
                ) from error
    if adopted is not None:
        if adopted.end != term_ends:
            try:
                role_end(actor=actor, assignment=adopted, end=term_ends)
            except ValidationError as error:
                raise ValidationError({"term_ends": " ".join(error.messages)}) from error
        assignment = adopted
    else:
        assignment = role_start(
            actor=actor, user=elected, partnership=partnership, role=role, start=term_starts, end=term_ends
        )
    election = Election.objects.create(
        partnership=partnership,
        office=office,
        held_on=held_on,
        term_starts=term_starts,
        term_ends=term_ends,
        method=method,
        elected=elected,
        school=schools.get(elected.pk),
        role=assignment,
        notes=notes.strip(),
        recorded_by=actor,
    )
    Candidate.objects.bulk_create(
        Candidate(
            election=election,
            user=user,
            votes=votes if method == Election.Method.VOTES else None,
        )
        for user, votes in candidates
    )
    if method == Election.Method.ACCLAMATION:
        how = "unopposed"
    else:
        how = "by a vote (" + ", ".join(f"{user}: {votes}" for user, votes in candidates) + ")"
    audit_record(
        subject=election,
        actor=actor,
        partnership=partnership,
        action=AuditAction.ELECTION_RECORDED,
        summary=f"{elected} elected {label} for {date_label(term_starts)} to {date_label(term_ends)}, {how}",
        data={
            "election": election.pk,
            "office": office,
            "elected": elected.pk,
            "method": method,
            "candidates": [[user.pk, votes] for user, votes in candidates],
            "role_assignment": assignment.pk,
        },
    )
    return election
