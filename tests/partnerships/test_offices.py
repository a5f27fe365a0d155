"""Elections of the chair and vice chair: who may stand, how the outcome is checked, the term limit,
and the hand-over of the office's role."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent
from partnerships.models import Candidate, Constitution, Election, RoleAssignment
from partnerships.roles import Role
from partnerships.selectors import offices as offices_selectors
from partnerships.selectors.governance import chair_school, offices_current
from partnerships.selectors.offices import eligible_candidates
from partnerships.services.offices import election_record
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import give_role, member_school_with_head, record_election, unset_rules

pytestmark = pytest.mark.django_db

D = datetime.date
JOINED = {"joined": D(2010, 9, 1)}


@dataclass
class Heads:
    partnership: object
    coordinator: object
    schools: list
    heads: list
    governor: object


@pytest.fixture
def heads(tenant_a) -> Heads:
    """Four member schools since 2010, each with a headteacher since 2015."""
    pairs = [member_school_with_head(tenant_a.partnership, **JOINED) for _ in range(4)]
    governor = UserFactory(full_name="Gita Governor")
    give_role(governor, tenant_a.partnership, Role.GOVERNOR, pairs[0][0], start=D(2015, 9, 1))
    return Heads(tenant_a.partnership, tenant_a.coordinator, [s for s, _ in pairs], [h for _, h in pairs], governor)


def elect(h: Heads, person, year: int, **kwargs):
    return record_election(h.coordinator, h.partnership, person, starts=D(year, 9, 1), **kwargs)


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def counts(partnership):
    with scopes_disabled():
        return (
            Election.objects.filter(partnership=partnership).count(),
            Candidate.objects.count(),
            RoleAssignment.objects.filter(partnership=partnership).count(),
            AuditEvent.objects.filter(partnership=partnership).count(),
        )


# --- The term limit ------------------------------------------------------------------------------


def test_a_fourth_consecutive_year_is_allowed_and_a_fifth_is_refused_with_the_reason(heads):
    pat = heads.heads[0]
    for year in (2019, 2020, 2021):
        elect(heads, pat, year)
    fourth = elect(heads, pat, 2022)
    assert fourth.term_ends == D(2023, 8, 31)  # the last day of office
    before = counts(heads.partnership)
    errors = errors_of(lambda: elect(heads, pat, 2023))
    assert errors["candidate_1"] == [
        f"{pat} cannot stand for chair: they have been chair since 1 September 2019, and a further term of office "
        "would be a fifth consecutive year; the agreement allows at most 4"
    ]
    assert counts(heads.partnership) == before


def test_a_gap_resets_the_count(heads):
    pat, sam = heads.heads[:2]
    for year in (2018, 2019, 2020, 2021):
        elect(heads, pat, year)
    elect(heads, sam, 2022)  # a year out of office
    elect(heads, pat, 2023)
    elect(heads, pat, 2024)
    elect(heads, pat, 2025)
    elected = elect(heads, pat, 2026, held_on=D(2026, 7, 1))
    assert elected.elected == pat  # the fourth year since the gap
    with scope(partnership=heads.partnership):
        assert offices_current(heads.partnership, on=D(2026, 10, 1))[Role.CHAIR][0].since == D(2023, 9, 1)


@pytest.mark.parametrize(("ended", "allowed"), [(D(2022, 8, 30), True), (D(2022, 8, 31), False)])
def test_a_gap_of_a_single_day_resets_the_count_but_adjoining_roles_do_not(heads, ended, allowed):
    pat = heads.heads[0]
    with scopes_disabled():
        # Four years by hand; an end date is the last day in office, so 31 August leaves no gap.
        give_role(pat, heads.partnership, Role.CHAIR, start=D(2018, 9, 1), end=ended)
    if allowed:
        assert elect(heads, pat, 2022).elected == pat
    else:
        assert "fifth consecutive year" in errors_of(lambda: elect(heads, pat, 2022))["candidate_1"][0]


def test_roles_started_by_hand_count_towards_the_limit(heads):
    pat = heads.heads[0]
    with scopes_disabled():
        give_role(pat, heads.partnership, Role.CHAIR, start=D(2019, 9, 1), end=D(2022, 8, 31))
    elect(heads, pat, 2022)  # the fourth year
    errors = errors_of(lambda: elect(heads, pat, 2023))
    assert "since 1 September 2019" in errors["candidate_1"][0] and "fifth" in errors["candidate_1"][0]


def test_a_partnership_with_a_lower_limit_refuses_sooner(heads):
    with scopes_disabled():
        Constitution.objects.update_or_create(
            partnership=heads.partnership, defaults={"chair_max_consecutive_years": 2}
        )
    pat = heads.heads[0]
    elect(heads, pat, 2020)
    elect(heads, pat, 2021)
    errors = errors_of(lambda: elect(heads, pat, 2022))
    assert "a third consecutive year; the agreement allows at most 2" in errors["candidate_1"][0]


def test_the_vice_chair_has_no_term_limit(heads):
    pat = heads.heads[0]
    for year in range(2018, 2024):
        elect(heads, pat, year, office=Election.Office.VICE_CHAIR)
    with scopes_disabled():
        assert Election.objects.filter(elected=pat, office="vice_chair").count() == 6


# --- Who may stand ---------------------------------------------------------------------------------


def test_someone_who_is_not_a_headteacher_cannot_stand_when_the_agreement_needs_one(heads):
    governor = heads.governor
    before = counts(heads.partnership)
    errors = errors_of(lambda: elect(heads, governor, 2024))
    message = errors["candidate_1"][0]
    assert message.startswith("Gita Governor cannot stand")
    assert "must be the headteacher of a member school" in message
    assert "is not a headteacher on 1 September 2024" in message
    assert counts(heads.partnership) == before


def test_the_rule_names_the_person_among_several_candidates(heads):
    pat = heads.heads[0]
    errors = errors_of(
        lambda: elect(
            heads,
            pat,
            2024,
            method="votes",
            candidates=[(pat, 5), (heads.governor, 2)],
        )
    )
    assert list(errors) == ["candidate_2"]
    assert "Gita Governor" in errors["candidate_2"][0]


def test_without_the_rule_anyone_with_a_role_may_stand(heads):
    with scopes_disabled():
        Constitution.objects.update_or_create(
            partnership=heads.partnership, defaults={"chair_must_be_headteacher": False}
        )
    election = elect(heads, heads.governor, 2024)
    assert election.school is None


def test_the_headteacher_of_a_school_that_has_left_cannot_stand(heads):
    school, pat = heads.schools[0], heads.heads[0]
    with scopes_disabled():
        school_membership = school.memberships.get(partnership=heads.partnership)
        school_membership.left = D(2023, 8, 31)
        school_membership.save()
    errors = errors_of(lambda: elect(heads, pat, 2024))
    assert f"{school.name} is not a member" in errors["candidate_1"][0]


def test_someone_with_no_role_in_the_partnership_cannot_stand(heads):
    with scopes_disabled():
        Constitution.objects.update_or_create(
            partnership=heads.partnership, defaults={"chair_must_be_headteacher": False}
        )
    stranger = UserFactory(full_name="Stray Person")
    errors = errors_of(lambda: elect(heads, stranger, 2024))
    assert "Stray Person has no role in" in errors["candidate_1"][0]


# --- The outcome -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "votes", "elected_index", "notes", "field", "message"),
    [
        ("acclamation", [None, None], 0, "", "method", "An election by acclamation has one candidate"),
        ("acclamation", [3], 0, "", "votes_1", "Leave the votes empty"),
        ("votes", [5, None], 0, "", "votes_2", "Enter the number of votes for"),
        ("votes", [5, 7], 0, "", "elected", "the person elected must have the most votes"),
        ("votes", [6, 6], 0, "", "notes", "tied with 6 votes: record here how the tie was broken"),
        ("votes", [5, 2], 2, "", "elected", "was not a candidate"),
    ],
)
def test_the_outcome_must_follow_from_the_method_and_the_votes(
    heads, method, votes, elected_index, notes, field, message
):
    people = heads.heads[:3]
    candidates = [(people[i], v) for i, v in enumerate(votes)]
    before = counts(heads.partnership)
    errors = errors_of(
        lambda: elect(heads, people[elected_index], 2024, method=method, candidates=candidates, notes=notes)
    )
    assert any(message in text for text in errors[field]), errors
    assert counts(heads.partnership) == before


def test_a_tie_broken_as_the_notes_record_is_accepted(heads):
    pat, sam = heads.heads[:2]
    election = elect(heads, sam, 2024, method="votes", candidates=[(pat, 6), (sam, 6)], notes="Decided by drawing lots")
    with scopes_disabled():
        assert {(c.user_id, c.votes) for c in election.candidates.all()} == {(pat.pk, 6), (sam.pk, 6)}
    assert election.notes == "Decided by drawing lots"


def test_a_candidate_listed_twice_is_refused(heads):
    pat = heads.heads[0]
    errors = errors_of(lambda: elect(heads, pat, 2024, method="votes", candidates=[(pat, 3), (pat, 3)]))
    assert "already a candidate" in errors["candidate_2"][0]


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"held_on": D(2099, 1, 1)}, "held_on", "today or in the past"),
        ({"term_ends": D(2024, 8, 1)}, "term_ends", "The term of office cannot end before it starts"),
        ({"term_ends": D(2026, 9, 1)}, "term_ends", "a chair's term of office of 1 year"),
        ({"candidates": []}, "candidate_1", "at least one candidate"),
    ],
)
def test_dates_and_an_empty_list_are_checked(heads, kwargs, field, message):
    pat = heads.heads[0]
    args = {
        "actor": heads.coordinator,
        "partnership": heads.partnership,
        "office": "chair",
        "held_on": D(2024, 7, 1),
        "term_starts": D(2024, 9, 1),
        "method": "acclamation",
        "candidates": [(pat, None)],
        "elected": pat,
    }
    args.update(kwargs)
    with scope(partnership=heads.partnership):
        errors = errors_of(lambda: election_record(**args))
    assert message in errors[field][0]


def test_the_term_starts_on_the_day_of_the_election_and_lasts_the_agreed_years_by_default(heads):
    pat = heads.heads[0]
    with scope(partnership=heads.partnership):
        election = election_record(
            actor=heads.coordinator,
            partnership=heads.partnership,
            office="chair",
            held_on=D(2024, 7, 10),
            method="acclamation",
            candidates=[(pat, None)],
            elected=pat,
        )
    assert (election.term_starts, election.term_ends) == (D(2024, 7, 10), D(2025, 7, 9))


# --- Handing the office over ---------------------------------------------------------------------


def test_the_previous_holders_role_ends_as_the_new_term_starts(heads):
    pat, sam = heads.heads[:2]
    first = elect(heads, pat, 2023)
    with scopes_disabled():
        give_role(pat, heads.partnership, Role.CHAIR, start=D(2022, 9, 1), end=None)  # an older, open role
    second = elect(heads, sam, 2024, method="votes", candidates=[(pat, 3), (sam, 8)], held_on=D(2024, 7, 3))
    with scopes_disabled():
        first.role.refresh_from_db()
        assert first.role.end == D(2024, 8, 31)
        assert RoleAssignment.objects.get(user=pat, role=Role.CHAIR, start=D(2022, 9, 1)).end == D(2024, 8, 31)
        role = second.role
        assert (role.user, role.role, role.start, role.end) == (sam, Role.CHAIR, D(2024, 9, 1), D(2025, 8, 31))
        assert second.school == heads.schools[1]
        audit = AuditEvent.objects.filter(partnership=heads.partnership, action="election.recorded").first()
        assert audit.data["election"] == second.pk and str(sam) in audit.summary


def test_a_role_given_by_hand_from_the_first_day_is_taken_over_by_the_election(heads):
    pat = heads.heads[0]
    with scopes_disabled():
        by_hand = give_role(pat, heads.partnership, Role.CHAIR, start=D(2025, 9, 1))
        roles_before = RoleAssignment.objects.filter(partnership=heads.partnership).count()
    election = elect(heads, pat, 2025, held_on=D(2025, 7, 1))
    with scopes_disabled():
        by_hand.refresh_from_db()
        assert election.role == by_hand and by_hand.end == D(2026, 8, 31)
        assert RoleAssignment.objects.filter(partnership=heads.partnership).count() == roles_before


def test_one_person_cannot_hold_both_offices(heads):
    pat = heads.heads[0]
    elect(heads, pat, 2024, office="vice_chair")
    errors = errors_of(lambda: elect(heads, pat, 2024))
    assert "cannot hold both offices" in errors["elected"][0]


def test_an_election_that_would_overlap_a_later_recorded_term_is_refused(heads):
    pat, sam = heads.heads[:2]
    elect(heads, pat, 2024)
    errors = errors_of(lambda: elect(heads, sam, 2024))
    assert "this term of office would overlap it" in errors["term_starts"][0]


def test_the_chairs_school_is_known(heads, tenant_b):
    pat, sam = heads.heads[:2]
    with scope(partnership=heads.partnership):
        assert chair_school(heads.partnership, on=D(2024, 10, 1)) is None
    elect(heads, pat, 2023)
    elect(heads, sam, 2024)
    with scope(partnership=heads.partnership):
        assert chair_school(heads.partnership, on=D(2024, 1, 10)) == heads.schools[0]
        assert chair_school(heads.partnership, on=D(2024, 10, 1)) == heads.schools[1]
    with scope(partnership=tenant_b.partnership):
        assert chair_school(tenant_b.partnership, on=D(2024, 10, 1)) is None


def test_the_chairs_school_falls_back_to_the_school_they_lead_when_the_role_was_given_by_hand(heads):
    with scopes_disabled():
        give_role(heads.heads[2], heads.partnership, Role.CHAIR, start=D(2024, 9, 1))
    with scope(partnership=heads.partnership):
        assert chair_school(heads.partnership, on=D(2024, 10, 1)) == heads.schools[2]


def test_the_current_holders_show_since_when_and_which_year(heads):
    pat = heads.heads[0]
    for year in (2022, 2023, 2024):
        elect(heads, pat, year)
    with scope(partnership=heads.partnership):
        chair = offices_current(heads.partnership, on=D(2024, 11, 22))[Role.CHAIR][0]
    assert (chair.user, chair.since, chair.until, chair.year_number) == (pat, D(2022, 9, 1), D(2025, 8, 31), 3)
    assert chair.school == heads.schools[0] and chair.year_ordinal == "third"


def test_an_agreement_that_sets_no_limit_never_refuses_a_fifth_year(heads):
    unset_rules(heads.partnership, "chair_max_consecutive_years")
    pat = heads.heads[0]
    for year in range(2018, 2024):  # six consecutive years
        elect(heads, pat, year)
    with scopes_disabled():
        assert Election.objects.filter(elected=pat, office="chair").count() == 6


def test_with_no_term_of_office_the_last_day_in_office_is_asked_for(heads, client_for):
    unset_rules(heads.partnership, "chair_term_years")
    pat = heads.heads[0]
    assert errors_of(lambda: elect(heads, pat, 2024))["term_ends"] == [
        "The agreement sets no term of office: enter the last day in office"
    ]
    assert elect(heads, pat, 2024, term_ends=D(2027, 8, 31)).term_ends == D(2027, 8, 31)  # no term to exceed
    body = client_for(heads.coordinator).get(f"/p/{heads.partnership.slug}/governance/offices/").content.decode()
    assert "The agreement sets no term of office for the chair and vice chair." in body


def test_an_agreement_silent_on_headteachers_accepts_a_governor_as_chair(heads):
    unset_rules(heads.partnership, "chair_must_be_headteacher")
    assert elect(heads, heads.governor, 2024).elected == heads.governor


# --- One definition of who may stand: the list the form offers, the rule the service applies ----------


def test_the_list_offers_only_those_who_can_stand_and_says_why_anyone_is_missing(heads, tenant_a):
    pat = heads.heads[0]
    for year in (2020, 2021, 2022, 2023):
        elect(heads, pat, year)
    with scopes_disabled():
        finance = UserFactory(full_name="Fran Finance")
        give_role(finance, heads.partnership, Role.FINANCE_OFFICER, heads.schools[1], start=D(2015, 9, 1))
        give_role(UserFactory(), heads.partnership, Role.COORDINATOR, start=D(2015, 9, 1))
        left = heads.schools[3].memberships.get(partnership=heads.partnership)
        left.left = D(2024, 8, 31)
        left.save()
    with scope(partnership=heads.partnership):
        offered = eligible_candidates(heads.partnership, "chair", held_on=D(2024, 7, 1), term_starts=D(2024, 9, 1))
    names = [e.label for e in offered.eligible]
    assert names == [
        f"{h.full_name}, headteacher of {s.name}" for h, s in zip(heads.heads[1:3], heads.schools[1:3], strict=True)
    ]
    assert offered.not_listed == [
        "Coordinators, governors and finance officers who do not lead a member school on 1 September 2024: "
        "the agreement says the chair must be the headteacher of a member school",
        f"{heads.heads[3]}, because {heads.schools[3].name} is not a member then",
        f"{pat}, chair since 1 September 2020: a further term of office would be a fifth consecutive year, "
        "and the agreement allows at most 4",
        # The tenant's coordinator and headteacher started last month; its former head left in 2023.
        "3 people with no role in the partnership on the day of the election or when the term of office starts",
    ]
    # The vice chair has no term limit: the chair of four years may stand for it.
    with scope(partnership=heads.partnership):
        vice = eligible_candidates(heads.partnership, "vice_chair", held_on=D(2024, 7, 1), term_starts=D(2024, 9, 1))
    assert pat in [e.user for e in vice.eligible]


def test_the_service_accepts_exactly_the_people_the_list_offers(heads, tenant_a):
    """Whoever is offered can be elected; whoever is left out is refused, with the list's own reason."""
    pat = heads.heads[0]
    for year in (2020, 2021, 2022, 2023):
        elect(heads, pat, year)
    with scope(partnership=heads.partnership):
        offered = eligible_candidates(heads.partnership, "chair", held_on=D(2024, 7, 1), term_starts=D(2024, 9, 1))
        people = {r.user for r in RoleAssignment.objects.filter(partnership=heads.partnership).select_related("user")}
    assert len(people) > len(offered.eligible) > 1
    for person in people:
        try:
            with transaction.atomic():
                elect(heads, person, 2024, held_on=D(2024, 7, 1))
                transaction.set_rollback(True)
            accepted = True
        except ValidationError as error:
            assert error.message_dict["candidate_1"] == [offered.refused[person.pk]]
            accepted = False
        assert accepted == (person in [e.user for e in offered.eligible]), person


def test_rules_the_agreement_does_not_set_restrict_nobody(heads, tenant_a, monkeypatch):
    """A rule that is not set (None) is no rule: anyone with a role may stand, for as long as they are elected."""
    pat = heads.heads[0]
    for year in (2020, 2021, 2022, 2023):
        elect(heads, pat, year)
    with scopes_disabled():
        silent = Constitution.objects.get(partnership=heads.partnership)
    silent.chair_must_be_headteacher = None
    silent.chair_max_consecutive_years = None
    monkeypatch.setattr(offices_selectors, "constitution_of", lambda partnership: silent)
    with scope(partnership=heads.partnership):
        offered = eligible_candidates(heads.partnership, "chair", held_on=D(2024, 7, 1), term_starts=D(2024, 9, 1))
    users = [e.user for e in offered.eligible]
    assert {pat, heads.governor} <= set(users)
    assert offered.not_listed == [
        "3 people with no role in the partnership on the day of the election or when the term of office starts"
    ]
    assert f"{heads.governor.full_name}, governor at {heads.schools[0].name}" in [e.label for e in offered.eligible]
