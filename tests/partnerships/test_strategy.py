"""The strategy group's termly rota: rotation, fair choice of reserves, the phase rule, and the
rules that keep one school to one place on the rota."""

import datetime
from dataclasses import dataclass
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent
from core.dates import ONE_DAY
from partnerships.forms.people import InviteForm
from partnerships.models import Constitution, Membership, RoleAssignment, RotaSeat, StrategyRota
from partnerships.roles import ROTA_ROLES, Role
from partnerships.selectors.governance import next_term_after, strategy_groups, term_on_or_after
from partnerships.services.invitations import invitation_create
from partnerships.services.roles import role_end, role_start
from partnerships.services.strategy import (
    rota_build_next,
    rota_confirm,
    rota_create,
    rota_plan_next,
    rota_seat_update,
)
from partnerships.services.terms import terms_ensure
from schools.models import School
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import give_role, make_rota, member_school_with_head, unset_rules
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db
D = datetime.date
P, S = School.Phase.PRIMARY, School.Phase.SECONDARY


@dataclass
class Group:
    partnership: object
    coordinator: object
    s: dict  # name -> School
    heads: dict  # name -> head
    term: object  # this term


@pytest.fixture
def group(tenant_a) -> Group:
    """Schools A..H (primary) and X, Y (secondary), each with a head; A's head is chair, B's vice chair."""
    partnership = tenant_a.partnership
    # The tenant's own two schools left long ago, so only the schools named here can sit on the rota.
    Membership.objects.filter(partnership=partnership, school__in=tenant_a.schools).update(left=D(2020, 9, 1))
    schools, heads = {}, {}
    for name, phase in [(n, P) for n in "ABCDEFGH"] + [("X", S), ("Y", S)]:
        schools[name], heads[name] = member_school_with_head(
            partnership, phase=phase, name=f"{name} School", joined=D(2010, 9, 1)
        )
    give_role(heads["A"], partnership, Role.CHAIR, start=D(2015, 9, 1))
    give_role(heads["B"], partnership, Role.VICE_CHAIR, start=D(2015, 9, 1))
    term = term_on_or_after(partnership, timezone.localdate())
    return Group(partnership, tenant_a.coordinator, schools, heads, term)


def plan(g: Group):
    with scope(partnership=g.partnership):
        return rota_plan_next(partnership=g.partnership)


def build(g: Group):
    with scope(partnership=g.partnership):
        return rota_build_next(actor=g.coordinator, partnership=g.partnership)


def past_term(g: Group, years_ago: int, index: int = 0):
    with scope(partnership=g.partnership):
        year = g.term.academic_year - years_ago
        return terms_ensure(g.partnership, year)[index]


def names(schools) -> list[str]:
    return [s.name[0] if s else None for s in schools]


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict if hasattr(caught.value, "error_dict") else {"__all__": caught.value.messages}


# --- Building next term's rota ---------------------------------------------------------------------


def test_each_reserve_becomes_the_representative_next_term(group):
    s = group.s
    make_rota(group.partnership, [(s["X"], s["C"]), (s["D"], s["E"])], term=group.term)
    rota = build(group)
    with scopes_disabled():
        assert rota.term == next_term_after(group.partnership, group.term)
        assert not rota.is_confirmed
        seats = list(rota.seats.order_by("seat"))
        assert [seat.representative for seat in seats] == [s["C"], s["E"]]
        assert AuditEvent.objects.filter(action="rota.built", data__rota=rota.pk).exists()


def test_new_reserves_are_the_schools_represented_least_recently_never_one_already_on_the_rota(group):
    s = group.s
    older, old = past_term(group, 2), past_term(group, 1)
    # F and G had representatives two and one years ago; H and Y never; the phase rule is off here.
    with scopes_disabled():
        Constitution.objects.update_or_create(
            partnership=group.partnership, defaults={"strategy_needs_primary_and_secondary": False}
        )
    make_rota(group.partnership, [(s["F"], s["G"]), (s["X"], s["C"])], term=older)
    make_rota(group.partnership, [(s["G"], s["D"]), (s["C"], s["E"])], term=old)
    make_rota(group.partnership, [(s["D"], s["H"]), (s["E"], s["Y"])], term=group.term)
    result = plan(group)
    assert names(s.representative for s in result.seats) == ["H", "Y"]
    # H and Y (never represented) are next term's representatives; then F and X (two years ago, by name)
    # come before C and G (last year) and D and E (this term).
    assert names(s.reserve for s in result.seats) == ["F", "X"]
    assert "last had a representative in the" in result.seats[0].reserve_reason


def test_schools_that_are_leaving_or_have_no_headteacher_and_the_officers_schools_are_skipped(group):
    s = group.s
    with scopes_disabled():
        Constitution.objects.update_or_create(
            partnership=group.partnership, defaults={"strategy_needs_primary_and_secondary": False}
        )
        Membership.objects.filter(school=s["F"]).update(left=D(2099, 8, 31))  # leaving, with notice given
        headless = SchoolFactory(name="Ca School")
        Membership.objects.create(partnership=group.partnership, school=headless, joined=D(2010, 9, 1))
    make_rota(group.partnership, [(s["C"], s["D"]), (s["E"], s["G"])], term=group.term)
    reserves = names(seat.reserve for seat in plan(group).seats)
    # A (chair), B (vice chair), Ca (no head), F (leaving), D and G (on the rota) are all passed over.
    assert reserves == ["H", "X"]


def test_a_reserve_who_cannot_serve_is_replaced_in_turn_and_the_reason_is_given(group):
    s = group.s
    with scopes_disabled():
        Membership.objects.filter(school=s["D"]).update(left=D(2099, 8, 31))
    make_rota(group.partnership, [(s["X"], s["D"]), (s["E"], s["G"])], term=group.term)
    result = plan(group)
    assert result.seats[0].representative != s["D"]
    assert "The reserve, D School, cannot take the seat: D School is leaving the partnership" in (
        result.seats[0].representative_reason
    )


def test_the_phase_rule_prefers_a_reserve_that_gives_the_group_a_secondary_school(group):
    s = group.s
    # The chair's and vice chair's schools are primary; this term's reserves are primary too.
    make_rota(group.partnership, [(s["X"], s["C"]), (s["D"], s["E"])], term=group.term)
    result = plan(group)
    assert any("no secondary school" in w for w in result.warnings)  # next term: C and E, both primary
    assert names(seat.reserve for seat in result.seats) == ["Y", "F"]  # Y jumps the queue
    assert "Chosen ahead of its turn: it is a secondary school" in result.seats[0].reserve_reason


def test_without_the_phase_rule_the_rotation_order_stands(group):
    s = group.s
    with scopes_disabled():
        Constitution.objects.update_or_create(
            partnership=group.partnership, defaults={"strategy_needs_primary_and_secondary": False}
        )
    make_rota(group.partnership, [(s["X"], s["C"]), (s["D"], s["E"])], term=group.term)
    result = plan(group)
    assert names(seat.reserve for seat in result.seats) == ["F", "G"]
    assert result.warnings == []


def test_there_is_nothing_to_build_from_without_a_confirmed_rota(group):
    s = group.s
    assert "no confirmed rota" in errors_of(lambda: plan(group))["__all__"][0]
    make_rota(group.partnership, [(s["X"], s["C"]), (s["D"], s["E"])], term=group.term, confirmed=False)
    assert "no confirmed rota" in errors_of(lambda: plan(group))["__all__"][0]


def test_next_terms_rota_is_built_once(group):
    s = group.s
    make_rota(group.partnership, [(s["X"], s["C"]), (s["D"], s["E"])], term=group.term)
    build(group)
    message = errors_of(lambda: build(group))["__all__"][0]
    assert "already has a draft rota" in message
    with scopes_disabled():
        assert StrategyRota.objects.filter(partnership=group.partnership).count() == 2


def test_a_rota_that_has_lapsed_carries_on_from_this_term(group):
    s = group.s
    make_rota(group.partnership, [(s["X"], s["C"]), (s["D"], s["E"])], term=past_term(group, 2))
    assert plan(group).term == group.term


# --- The first rota and the rules for every seat --------------------------------------------------


def first(g: Group, seats):
    with scope(partnership=g.partnership):
        return rota_create(actor=g.coordinator, partnership=g.partnership, seats=seats)


def test_the_first_rota_is_a_draft_for_this_term(group):
    s = group.s
    rota = first(group, [(s["X"], s["C"]), (s["D"], s["E"])])
    with scopes_disabled():
        assert rota.term == group.term and not rota.is_confirmed
        assert [(x.representative, x.reserve) for x in rota.seats.order_by("seat")] == [
            (s["X"], s["C"]),
            (s["D"], s["E"]),
        ]
    assert "already has a rota" in errors_of(lambda: first(group, [(s["X"], s["C"]), (s["D"], s["E"])]))["__all__"][0]


@pytest.mark.parametrize(
    ("seats", "field", "message"),
    [
        ([("X", "X"), ("D", "E")], "reserve_1", "X School is this seat's representative"),
        ([("X", "D"), ("D", "E")], "reserve_1", "D School is the representative for seat 2"),
        ([("X", "C"), ("X", "E")], "representative_2", "X School is already the representative for seat 1"),
        ([("X", "C"), ("D", "C")], "reserve_2", "C School is already the reserve for seat 1"),
        ([("X", "C"), ("C", "E")], "representative_2", "C School is the reserve for seat 1"),
        ([("A", "C"), ("D", "E")], "representative_1", "A School's headteacher is the chair"),
        ([("X", "C"), (None, "E")], "representative_2", "Choose the representative's school"),
    ],
)
def test_a_school_has_one_place_on_the_rota(group, seats, field, message):
    s = group.s
    chosen = [(s.get(rep), s.get(res)) for rep, res in seats]
    errors = errors_of(lambda: first(group, chosen))
    assert any(message in text for text in errors[field]), errors
    with scopes_disabled():
        assert not StrategyRota.objects.filter(partnership=group.partnership).exists()


def seat_update(g: Group, seat, **kwargs):
    values = {"representative": seat.representative, "reserve": seat.reserve, "substitute": None}
    values.update(kwargs)
    with scope(partnership=g.partnership):
        return rota_seat_update(actor=g.coordinator, seat=seat, **values)


def test_changing_a_seat_keeps_the_rules(group):
    s = group.s
    rota = make_rota(group.partnership, [(s["X"], s["C"]), (s["D"], s["E"])], term=group.term, confirmed=False)
    with scopes_disabled():
        one, two = rota.seats.order_by("seat")
    assert "this seat's representative" in errors_of(lambda: seat_update(group, one, reserve=s["X"]))["reserve"][0]
    assert "representative for seat 2" in errors_of(lambda: seat_update(group, one, reserve=s["D"]))["reserve"][0]
    assert (
        "reserve for seat 2" in errors_of(lambda: seat_update(group, one, representative=s["E"]))["representative"][0]
    )
    assert (
        "representative for seat 2"
        in errors_of(lambda: seat_update(group, one, representative=s["D"]))["representative"][0]
    )
    seat_update(group, one, representative=s["Y"], reserve=s["F"])
    with scopes_disabled():
        one.refresh_from_db()
        assert (one.representative, one.reserve) == (s["Y"], s["F"])
        assert AuditEvent.objects.filter(action="rota.seat_changed").count() == 1


def test_only_a_deputy_of_the_representatives_school_may_substitute(group):
    s = group.s
    rota = make_rota(group.partnership, [(s["X"], s["C"]), (s["D"], s["E"])], term=group.term)
    deputy_x, deputy_d = UserFactory(full_name="Dee Deputy"), UserFactory(full_name="Don Deputy")
    with scopes_disabled():
        give_role(deputy_x, group.partnership, Role.DEPUTY, s["X"])
        give_role(deputy_d, group.partnership, Role.DEPUTY, s["D"])
        one = rota.seats.get(seat=1)
    errors = errors_of(lambda: seat_update(group, one, substitute=deputy_d))
    assert errors["substitute"] == [
        "Don Deputy is not a deputy headteacher of X School: only a deputy of the representative's school may "
        "substitute for its headteacher"
    ]
    seat_update(group, one, substitute=deputy_x)
    with scope(partnership=group.partnership):
        shown = strategy_groups(group.partnership, [group.term])[0]
    assert shown.representatives[0].substitute == deputy_x


def test_a_past_terms_rota_cannot_change_or_be_confirmed(group):
    s = group.s
    rota = make_rota(group.partnership, [(s["X"], s["C"]), (s["D"], s["E"])], term=past_term(group, 1), confirmed=False)
    with scopes_disabled():
        one = rota.seats.get(seat=1)
    assert "ended on" in errors_of(lambda: seat_update(group, one, reserve=s["F"]))["__all__"][0]
    with scope(partnership=group.partnership):
        message = errors_of(lambda: rota_confirm(actor=group.coordinator, rota=rota))["__all__"][0]
    assert "a rota cannot be confirmed for a term that has ended" in message
    with scopes_disabled():
        rota.refresh_from_db()
        assert rota.confirmed_at is None


def test_confirming_a_draft(group):
    s = group.s
    rota = first(group, [(s["X"], s["C"]), (s["D"], s["E"])])
    with scope(partnership=group.partnership):
        rota_confirm(actor=group.coordinator, rota=rota)
        assert "already confirmed" in errors_of(lambda: rota_confirm(actor=group.coordinator, rota=rota))["__all__"][0]
    with scopes_disabled():
        rota.refresh_from_db()
        assert rota.confirmed_by == group.coordinator and rota.is_confirmed
        assert AuditEvent.objects.filter(action="rota.confirmed", data__rota=rota.pk).count() == 1


def test_confirming_checks_the_seats_again(group):
    s = group.s
    rota = first(group, [(s["X"], s["C"]), (s["D"], s["E"])])
    with scopes_disabled():
        Membership.objects.filter(school=s["D"]).update(left=D(2099, 8, 31))
    with scope(partnership=group.partnership):
        message = errors_of(lambda: rota_confirm(actor=group.coordinator, rota=rota))["__all__"][0]
    assert message == "Seat 2: D School is leaving the partnership on 31 August 2099"


# --- Warnings ---------------------------------------------------------------------------------------


def test_a_group_without_a_secondary_school_is_warned_about_and_cannot_be_confirmed_without_a_reason(group):
    s = group.s
    rota = first(group, [(s["C"], s["D"]), (s["E"], s["F"])])
    with scope(partnership=group.partnership):
        shown = strategy_groups(group.partnership, [group.term])[0]
        assert shown.warnings == [
            "The strategy group has no secondary school. The agreement says it should always include primary "
            "and secondary schools: change a representative."
        ]
        assert shown.missing_phases == ["secondary"]
        for reason in ("", "   "):
            errors = errors_of(lambda r=reason: rota_confirm(actor=group.coordinator, rota=rota, phase_reason=r))
            assert errors == {
                "phase_reason": [
                    "Enter why the strategy group has no secondary school, or change a representative: the "
                    "agreement says the group should always include primary and secondary schools"
                ]
            }
    with scopes_disabled():
        rota.refresh_from_db()
        assert not rota.is_confirmed
        assert not RoleAssignment.objects.filter(partnership=group.partnership, role__in=ROTA_ROLES).exists()


def test_a_seat_change_after_confirming_cannot_quietly_lose_the_secondary_school(group):
    s = group.s
    rota = first(group, [(s["X"], s["C"]), (s["D"], s["E"])])
    with scope(partnership=group.partnership):
        rota_confirm(actor=group.coordinator, rota=rota)
    with scopes_disabled():
        one = rota.seats.get(seat=1)
    errors = errors_of(lambda: seat_update(group, one, representative=s["F"]))
    assert errors["representative"] == [
        "This would leave the strategy group with no secondary school, which the agreement says it should always "
        "include: choose another school"
    ]
    with scopes_disabled():
        one.refresh_from_db()
        assert one.representative == s["X"]
    seat_update(group, one, representative=s["Y"])  # another secondary school keeps the rule
    with scopes_disabled():
        one.refresh_from_db()
        assert one.representative == s["Y"]


def test_the_coordinators_reason_confirms_it_and_is_kept_on_the_rota_and_in_the_audit_trail(group):
    s = group.s
    rota = first(group, [(s["C"], s["D"]), (s["E"], s["F"])])
    reason = "St Luke's and St James's both have Ofsted this term; St Luke's returns in the spring."
    with scope(partnership=group.partnership):
        rota_confirm(actor=group.coordinator, rota=rota, phase_reason=f"  {reason} ")
    with scopes_disabled():
        rota.refresh_from_db()
        assert rota.is_confirmed and rota.phase_reason == reason
        event = AuditEvent.objects.get(action="rota.confirmed", data__rota=rota.pk)
        assert event.data["phase_reason"] == reason and event.data["missing_phases"] == ["secondary"]
        assert event.actor == group.coordinator and reason in event.summary


def test_a_secondary_chair_gives_the_group_its_secondary_school(group):
    """The agreement's rule is about the group, which the chair and vice chair sit on as well."""
    s, h = group.s, group.heads
    with scopes_disabled():
        RoleAssignment.objects.filter(partnership=group.partnership, role=Role.CHAIR).delete()
    give_role(h["Y"], group.partnership, Role.CHAIR, start=D(2015, 9, 1))
    rota = first(group, [(s["C"], s["D"]), (s["E"], s["F"])])
    with scope(partnership=group.partnership):
        rota_confirm(actor=group.coordinator, rota=rota)
    with scopes_disabled():
        rota.refresh_from_db()
        assert rota.is_confirmed and rota.phase_reason == ""


@pytest.mark.parametrize("needs_both", [False, None])
def test_without_the_phase_rule_no_reason_is_needed_and_none_is_kept(group, needs_both):
    s = group.s
    with scopes_disabled():
        constitution = Constitution.objects.get(partnership=group.partnership)
    # None is "the agreement does not say" (a rule not set), treated as not asking for both.
    constitution.strategy_needs_primary_and_secondary = needs_both
    rota = first(group, [(s["C"], s["D"]), (s["E"], s["F"])])
    with (
        scope(partnership=group.partnership),
        mock.patch("partnerships.selectors.governance.constitution_of", return_value=constitution),
    ):
        rota_confirm(actor=group.coordinator, rota=rota, phase_reason="not needed")
    with scopes_disabled():
        rota.refresh_from_db()
        assert rota.is_confirmed and rota.phase_reason == ""


def test_the_warning_says_so_when_no_member_school_could_fill_the_gap(group):
    s = group.s
    with scopes_disabled():
        Membership.objects.filter(school__in=[s["X"], s["Y"]]).update(left=D(2020, 8, 31))
    first(group, [(s["C"], s["D"]), (s["E"], s["F"])])
    with scope(partnership=group.partnership):
        warnings = strategy_groups(group.partnership, [group.term])[0].warnings
    assert warnings == [
        "The strategy group has no secondary school, and no member school is a secondary school. "
        "The agreement says it should include both."
    ]


def test_no_warning_when_the_group_has_both_phases(group):
    s = group.s
    first(group, [(s["X"], s["D"]), (s["E"], s["F"])])
    with scope(partnership=group.partnership):
        assert strategy_groups(group.partnership, [group.term])[0].warnings == []


def test_the_group_lists_officers_representatives_and_reserves(group):
    s, h = group.s, group.heads
    first(group, [(s["X"], s["D"]), (s["E"], s["F"])])
    with scope(partnership=group.partnership):
        shown = strategy_groups(group.partnership, [group.term])[0]
    places = [(m.place, m.person, m.school) for m in shown.members]
    assert places == [
        ("Chair", h["A"], s["A"]),
        ("Vice chair", h["B"], s["B"]),
        ("Coordinator", group.coordinator, None),
        ("Headteacher representative 1", h["X"], s["X"]),
        ("Headteacher representative 2", h["E"], s["E"]),
    ]
    assert [(m.person, m.school) for m in shown.reserves] == [(h["D"], s["D"]), (h["F"], s["F"])]


def test_rota_seats_are_scoped_to_their_partnership(group, tenant_b):
    s = group.s
    first(group, [(s["X"], s["D"]), (s["E"], s["F"])])
    with scope(partnership=tenant_b.partnership):
        assert not RotaSeat.objects.exists()


# --- The representatives' roles come from the confirmed rota ------------------------------------------------


def rota_roles(g: Group) -> set[tuple]:
    """The representative and reserve roles in force on a day of this term: {(user, role, start, end)}."""
    with scopes_disabled():
        return set(
            RoleAssignment.objects.filter(partnership=g.partnership, role__in=ROTA_ROLES)
            .active(max(g.term.starts, timezone.localdate()))
            .values_list("user__full_name", "role", "start", "end")
        )


def term_roles(g: Group, *held: tuple[str, str]) -> set[tuple]:
    starts = max(g.term.starts, timezone.localdate())
    return {(f"Head of {school} School", role, starts, g.term.ends) for school, role in held}


REP, RES = Role.STRATEGY_REP, Role.STRATEGY_RESERVE


def test_confirming_starts_the_representatives_and_reserves_roles_for_the_term_and_ends_any_others(group):
    s, h = group.s, group.heads
    # Last year's representative, started by hand and never ended, and one due to start next week.
    with scopes_disabled():
        RoleAssignment.objects.create(user=h["G"], partnership=group.partnership, role=REP, start=D(2024, 9, 1))
        later = RoleAssignment.objects.create(
            user=h["H"], partnership=group.partnership, role=RES, start=timezone.localdate() + ONE_DAY * 7
        )
    rota = first(group, [(s["X"], s["C"]), (s["D"], s["E"])])
    assert not term_roles(group, ("X", REP)) & rota_roles(group), "a draft rota gives no roles"
    with scope(partnership=group.partnership):
        rota_confirm(actor=group.coordinator, rota=rota)
    assert rota_roles(group) == term_roles(group, ("X", REP), ("D", REP), ("C", RES), ("E", RES))
    with scopes_disabled():
        old = RoleAssignment.objects.get(user=h["G"], role=REP)
        assert old.end == max(group.term.starts, timezone.localdate()) - ONE_DAY
        assert not RoleAssignment.objects.filter(pk=later.pk).exists()
        event = AuditEvent.objects.get(action="rota.roles_set", data__rota=rota.pk)
        assert event.actor == group.coordinator
        assert "Head of G School as strategy group representative ended on" in event.summary
        assert [removed["user"] for removed in event.data["removed"]] == [h["H"].pk]


def test_the_previous_terms_representatives_end_with_their_term(group):
    s = group.s
    rota = first(group, [(s["X"], s["C"]), (s["D"], s["Y"])])
    with scope(partnership=group.partnership):
        rota_confirm(actor=group.coordinator, rota=rota)
        nxt = rota_build_next(actor=group.coordinator, partnership=group.partnership)
        rota_confirm(actor=group.coordinator, rota=nxt)
    with scopes_disabled():
        held = list(
            RoleAssignment.objects.filter(partnership=group.partnership, role__in=ROTA_ROLES)
            .order_by("start", "user__full_name")
            .values_list("user__full_name", "role", "start", "end")
        )
    starts = max(group.term.starts, timezone.localdate())
    assert [r for r in held if r[2] == starts] == sorted(
        term_roles(group, ("C", RES), ("D", REP), ("X", REP), ("Y", RES)), key=lambda r: r[0]
    ), "this term's roles still end on the term's last day"
    later = [r for r in held if r[2] == nxt.term.starts]
    assert {(name, role) for name, role, *_ in later} >= {("Head of C School", REP), ("Head of Y School", REP)}
    assert {end for *_, end in later} == {nxt.term.ends}


def test_changing_a_seat_of_a_confirmed_rota_moves_the_roles_with_it(group):
    s, h = group.s, group.heads
    rota = first(group, [(s["X"], s["C"]), (s["D"], s["E"])])
    with scope(partnership=group.partnership):
        rota_confirm(actor=group.coordinator, rota=rota)
    deputy = UserFactory(full_name="Deputy of D School")
    give_role(deputy, group.partnership, Role.DEPUTY, s["D"])
    with scopes_disabled():
        two = rota.seats.get(seat=2)
    seat_update(group, two, representative=s["D"], reserve=s["F"], substitute=deputy)
    starts = max(group.term.starts, timezone.localdate())
    # The deputy who attends in the headteacher's place holds the seat's role; F's head is now its reserve.
    assert rota_roles(group) == term_roles(group, ("X", REP), ("C", RES), ("F", RES)) | {
        ("Deputy of D School", REP, starts, group.term.ends)
    }
    with scopes_disabled():
        assert not RoleAssignment.objects.filter(user__in=[h["D"], h["E"]], role__in=ROTA_ROLES).active(starts).exists()


def test_a_new_headteacher_takes_over_the_schools_roles_from_their_first_day(group):
    s, h = group.s, group.heads
    rota = first(group, [(s["X"], s["C"]), (s["D"], s["E"])])
    with scope(partnership=group.partnership):
        rota_confirm(actor=group.coordinator, rota=rota)
    starts = max(group.term.starts, timezone.localdate())
    if starts >= group.term.ends:
        pytest.skip("the term's last day: no day left for a new headteacher")
    last_day = starts + (group.term.ends - starts) // 2
    successor = UserFactory(full_name="New Head of X School")
    with scope(partnership=group.partnership):
        role_end(
            actor=group.coordinator,
            assignment=RoleAssignment.objects.get(user=h["X"], role=Role.HEADTEACHER),
            end=last_day,
        )
        give_role(successor, group.partnership, Role.HEADTEACHER, s["X"], start=last_day + ONE_DAY)
    with scopes_disabled():
        held = set(
            RoleAssignment.objects.filter(
                partnership=group.partnership, role=REP, user__in=[h["X"], successor]
            ).values_list("user__full_name", "start", "end")
        )
        assert held == {
            ("Head of X School", starts, last_day),
            ("New Head of X School", last_day + ONE_DAY, group.term.ends),
        }
        assert AuditEvent.objects.filter(action="rota.roles_set", data__rota=rota.pk).count() == 3


def test_nothing_else_starts_or_ends_a_representatives_role(group):
    s, h = group.s, group.heads
    refusal = "Strategy group representatives come from the confirmed rota"
    for role in (REP, RES):
        errors = errors_of(
            lambda r=role: role_start(actor=group.coordinator, user=h["C"], partnership=group.partnership, role=r)
        )
        assert errors["role"][0].startswith(refusal), errors
        with scope(partnership=group.partnership):
            errors = errors_of(
                lambda r=role: invitation_create(
                    actor=group.coordinator,
                    partnership=group.partnership,
                    full_name="New Head",
                    email="new.head@example.org",
                    role=r,
                    school=None,
                )
            )
        assert errors["role"][0].startswith(refusal), errors
    rota = first(group, [(s["X"], s["C"]), (s["D"], s["E"])])
    with scope(partnership=group.partnership):
        rota_confirm(actor=group.coordinator, rota=rota)
        held = RoleAssignment.objects.get(user=h["X"], role=REP)
        errors = errors_of(lambda: role_end(actor=group.coordinator, assignment=held))
    assert errors["end"][0].startswith(refusal)
    with scope(partnership=group.partnership):
        offered = {value for value, _ in InviteForm(partnership=group.partnership).fields["role"].choices}
    assert Role.HEADTEACHER in offered and not offered & ROTA_ROLES


def test_an_agreement_silent_on_representatives_builds_no_rota_and_says_why(group, client_for):
    unset_rules(group.partnership, "strategy_head_reps")
    s = group.s
    errors = errors_of(lambda: first(group, [(s["X"], s["C"]), (s["D"], s["E"])]))
    assert errors["__all__"] == [
        "The agreement does not say how many headteacher representatives sit on the strategy group: "
        "set how many there are on the constitution page before building a rota"
    ]
    with scopes_disabled():
        assert not StrategyRota.objects.filter(partnership=group.partnership).exists()
    body = client_for(group.coordinator).get(f"/p/{group.partnership.slug}/governance/strategy/").content.decode()
    assert "The agreement does not say how many headteacher representatives sit on the strategy group" in body
