"""The governance pages: what they show, bad and odd input (400, nothing saved, never a 500), and
query budgets on a 200-school partnership."""

import datetime
import html

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent, User
from core.dates import date_label
from core.testing import assert_constant_queries
from partnerships.models import Candidate, Election, Membership, RoleAssignment, RotaSeat, StrategyRota
from partnerships.roles import Role
from partnerships.selectors.governance import next_term_after, term_on_or_after
from partnerships.selectors.offices import add_years
from partnerships.services.terms import terms_ensure
from schools.models import School
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import give_role, make_rota, member_school_with_head, record_election

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def gov(tenant_a):
    """Tenant A with four more schools (two secondary) whose heads can stand and sit on the rota."""
    partnership = tenant_a.partnership
    made = [
        member_school_with_head(partnership, phase=phase, name=name, joined=D(2010, 9, 1))
        for name, phase in [
            ("Pinhoe Primary", "primary"),
            ("Stokehill Junior", "junior"),
            ("St Luke's College", "secondary"),
            ("St James's School", "secondary"),
        ]
    ]
    tenant_a.extra = [s for s, _ in made]
    tenant_a.heads = [h for _, h in made]
    return tenant_a


def url(tenant, name="", **parts) -> str:
    return f"/p/{tenant.slug}/governance/{name}"


def saved(partnership):
    with scopes_disabled():
        return (
            Election.objects.filter(partnership=partnership).count(),
            Candidate.objects.filter(election__partnership=partnership).count(),
            RoleAssignment.objects.filter(partnership=partnership).count(),
            StrategyRota.objects.filter(partnership=partnership).count(),
            RotaSeat.objects.filter(rota__partnership=partnership).count(),
            AuditEvent.objects.filter(partnership=partnership).count(),
        )


# --- Offices -----------------------------------------------------------------------------------------


def election_data(gov, **changes):
    pat, sam = gov.heads[:2]
    data = {
        "office": "chair",
        "held_on": "2026-07-08",
        "term_starts": "2026-09-01",
        "term_ends": "",
        "method": "votes",
        "candidate_1": pat.pk,
        "votes_1": "9",
        "candidate_2": sam.pk,
        "votes_2": "4",
        "elected": pat.pk,
        "notes": "",
    }
    data.update(changes)
    return data


def test_the_coordinator_records_an_election_and_the_pages_show_it(gov, client_for):
    client = client_for(gov.coordinator)
    response = client.post(url(gov, "offices/record/"), election_data(gov))
    assert response.status_code == 302
    pat = gov.heads[0]
    with scopes_disabled():
        election = Election.objects.get(partnership=gov.partnership)
        assert election.role.user == pat and election.role.end == D(2027, 8, 31)  # the last day of office
    offices = client_for(gov.headteacher).get(url(gov, "offices/")).content.decode()
    assert pat.full_name in offices and "9 votes" in offices and "Pinhoe Primary" in offices
    index = client_for(gov.headteacher).get(url(gov)).content.decode()
    assert "Chair since 1 September 2026" in index and "Headteacher of Pinhoe Primary" in index


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"office": ""}, "office", "Select the office"),
        ({"office": "emperor"}, "office", "using one of the options given"),
        ({"held_on": "2026-02-30"}, "held_on", "must be a real date"),
        ({"held_on": "yesterday"}, "held_on", "must be a real date"),
        ({"held_on": "2099-01-01"}, "held_on", "today or in the past"),
        ({"term_ends": "2026-08-01"}, "term_ends", "The term of office cannot end before it starts"),
        ({"term_ends": "2029-09-01"}, "term_ends", "a chair's term of office of 1 year"),
        ({"method": "lottery"}, "method", "using one of the options given"),
        ({"candidate_1": "abc"}, "candidate_1", "Choose candidate 1 from the list"),
        ({"candidate_1": "99999999"}, "candidate_1", "Choose candidate 1 from the list"),
        ({"candidate_1": "", "votes_1": "3"}, "candidate_1", "Choose the candidate these votes are for"),
        ({"votes_1": "-1"}, "votes_1", "cannot be fewer than 0"),
        ({"votes_1": "1.5"}, "votes_1", "as a whole number"),
        ({"votes_1": "9" * 40}, "votes_1", "must be 10000 or fewer"),
        ({"votes_2": ""}, "votes_2", "Enter the number of votes for"),
        ({"elected": ""}, "elected", "Select who was elected"),
        ({"votes_1": "2"}, "elected", "the person elected must have the most votes"),
        ({"votes_1": "4"}, "notes", "tied with 4 votes"),
        ({"method": "acclamation"}, "method", "An election by acclamation has one candidate"),
        ({"notes": "x" * 5000}, "notes", "2000 characters or fewer"),
    ],
)
def test_bad_elections_are_refused_next_to_the_field_and_save_nothing(gov, client_for, changes, field, message):
    before = saved(gov.partnership)
    response = client_for(gov.coordinator).post(url(gov, "offices/record/"), election_data(gov, **changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert any(message in text for text in errors.get(field, [])), errors
    body = response.content.decode()
    assert "<title>Error: " in body and "There is a problem" in body and f'href="#id_{field}"' in body
    assert saved(gov.partnership) == before


def test_a_candidate_error_lands_on_the_row_the_person_was_entered_in(gov, client_for):
    """Rows may be left empty between candidates: the service's errors still land on the right row."""
    response = client_for(gov.coordinator).post(
        url(gov, "offices/record/"),
        election_data(gov, candidate_2="", votes_2="", candidate_4=gov.coordinator.pk, votes_4="1"),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["candidate_4"][0].startswith("Alpha Partnership Coordinator")


def test_a_fifth_consecutive_year_is_refused_on_the_page(gov, client_for):
    pat = gov.heads[0]
    for year in (2021, 2022, 2023, 2024):
        record_election(gov.coordinator, gov.partnership, pat, starts=D(year, 9, 1))
    before = saved(gov.partnership)
    response = client_for(gov.coordinator).post(
        url(gov, "offices/record/"),
        election_data(gov, held_on="2025-07-01", term_starts="2025-09-01"),
    )
    assert response.status_code == 400
    assert "a further term of office would be a fifth consecutive year; the agreement allows at most 4" in (
        response.content.decode().replace("&#x27;", "'")
    )
    assert saved(gov.partnership) == before


def test_the_election_form_offers_only_those_who_can_stand_and_says_why_others_are_missing(gov, client_for):
    pat, today = gov.heads[0], timezone.localdate()
    first = add_years(today, -4)
    for years in (4, 3, 2, 1):  # chair for four years up to yesterday: the form lists candidates for today
        record_election(gov.coordinator, gov.partnership, pat, starts=add_years(today, -years))
    client = client_for(gov.coordinator)
    body = client.get(url(gov, "offices/record/?office=chair")).content.decode().replace("&#x27;", "'")
    offered = body.split('id="id_candidate_1"')[1].split("</select>")[0]
    for head, school in zip(gov.heads[1:], gov.extra[1:], strict=True):
        assert f"{head.full_name}, headteacher of {school.name}" in offered
    # A coordinator, a former headteacher and a chair at the limit would all be refused: none is offered.
    for person in (gov.coordinator, pat, "Alpha Partnership Former Head"):
        assert str(person) not in offered
    assert offered == body.split('id="id_elected"')[1].split("</select>")[0]  # the same list
    explained = body.split("Why is someone not in the list?")[1].split("</details>")[0]
    assert "Coordinators who do not lead a member school on " in explained
    assert "the agreement says the chair must be the headteacher of a member school" in explained
    assert f"{pat}, chair since {date_label(first)}: a further term of office would be a fifth consecutive" in explained
    # The vice chair has no term limit: the chair may stand for it.
    vice = client.get(url(gov, "offices/record/?office=vice_chair")).content.decode()
    assert pat.full_name in vice.split('id="id_candidate_1"')[1].split("</select>")[0]


def test_the_office_is_chosen_before_the_candidates(gov, client_for):
    body = client_for(gov.coordinator).get(url(gov, "offices/record/")).content.decode()
    assert 'method="get"' in body and 'name="office" type="radio"' in body
    assert 'id="id_candidate_1"' not in body
    chair = client_for(gov.coordinator).get(url(gov, "offices/record/?office=chair")).content.decode()
    assert '<input type="hidden" name="office" value="chair"' in chair and "Choose a different office" in chair


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"office": "chair", "held_on": "0000-00-00"},
        {"held_on": "99999-01-01", "term_starts": "-1"},
        {"candidate_1": "1 OR 1=1", "votes_1": "NaN", "elected": "[]"},
        {"office": "x" * 10000, "notes": "\u0000"},
        {"candidate_1": "日本", "votes_1": "٣", "method": "votes"},
    ],
)
def test_odd_input_is_a_400_never_a_500(gov, client_for, data):
    before = saved(gov.partnership)
    response = client_for(gov.coordinator).post(url(gov, "offices/record/"), data)
    assert response.status_code == 400
    assert saved(gov.partnership) == before


# --- The strategy group ------------------------------------------------------------------------------


def test_a_headteacher_sees_the_group_with_its_warning(gov, client_for):
    s = gov.extra
    make_rota(gov.partnership, [(s[0], s[1])], term=None)
    body = client_for(gov.headteacher).get(url(gov, "strategy/")).content.decode()
    assert "govuk-warning-text" in body and "no secondary school" in body
    assert "Head of Pinhoe Primary" in body and "Stokehill Junior" in body
    assert "Build next term" not in body  # coordinators only


def _options(body: str, field: str) -> str:
    return body.split(f'id="id_{field}"')[1].split("</select>")[0]


def test_the_rota_forms_offer_only_schools_that_can_sit_and_say_why_others_are_missing(gov, client_for):
    s = {school.name: school for school in gov.extra}
    today = timezone.localdate()
    record_election(gov.coordinator, gov.partnership, gov.heads[0], starts=today)  # Pinhoe's head is chair
    with scopes_disabled():
        leaving = Membership.objects.get(partnership=gov.partnership, school=s["St James's School"])
        leaving.left = today + datetime.timedelta(days=300)
        leaving.save()
    client = client_for(gov.coordinator)
    body = client.get(url(gov, "strategy/first/")).content.decode().replace("&#x27;", "'")
    for field in ("representative_1", "reserve_1", "representative_2"):
        offered = _options(body, field)
        assert "Stokehill Junior" in offered and "St Luke's College" in offered
        # The chair's school, a school leaving and a school with no headteacher would be refused.
        for refused in ("Pinhoe Primary", "St James's School", gov.schools[1].name):
            assert refused not in offered, (field, refused)
    explained = body.split("Why is a school not in the list?")[1].split("</details>")[0]
    assert "Pinhoe Primary's headteacher is the chair, who is on the group already" in explained
    assert "St James's School is leaving the partnership on" in explained
    assert f"{gov.schools[1].name} has no headteacher with a role in the partnership" in explained
    # Changing a seat offers neither those nor the schools on the rota's other seats.
    rota = make_rota(gov.partnership, [(s["Stokehill Junior"], None), (s["St Luke's College"], None)], confirmed=False)
    with scopes_disabled():
        seat = rota.seats.get(seat=1)
    body = client.get(url(gov, f"strategy/seats/{seat.pk}/")).content.decode().replace("&#x27;", "'")
    assert "Stokehill Junior" in _options(body, "representative")
    assert "St Luke's College" not in _options(body, "representative")
    assert "St Luke's College is the representative for seat 2 already" in body


def test_the_coordinator_sets_up_builds_and_confirms_rotas_through_the_pages(gov, client_for):
    s = {school.name: school for school in gov.extra}
    client = client_for(gov.coordinator)
    page = client.get(url(gov, "strategy/")).content.decode()
    assert "Set up the first rota" in page
    response = client.post(
        url(gov, "strategy/first/"),
        {
            "representative_1": s["St Luke's College"].pk,
            "reserve_1": s["Pinhoe Primary"].pk,
            "representative_2": s["Stokehill Junior"].pk,
            "reserve_2": s["St James's School"].pk,
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        rota = StrategyRota.objects.get(partnership=gov.partnership)
    assert client.get(url(gov, f"strategy/rotas/{rota.pk}/confirm/")).status_code == 200
    assert client.post(url(gov, f"strategy/rotas/{rota.pk}/confirm/")).status_code == 302
    preview = client.get(url(gov, "strategy/build/")).content.decode()
    assert "Build the draft rota" in preview and "The reserve for this seat in the" in preview
    assert client.post(url(gov, "strategy/build/")).status_code == 302
    with scopes_disabled():
        built = StrategyRota.objects.get(partnership=gov.partnership, confirmed_at__isnull=True)
        assert [seat.representative for seat in built.seats.order_by("seat")] == [
            s["Pinhoe Primary"],
            s["St James's School"],
        ]
    before = saved(gov.partnership)
    again = client.post(url(gov, "strategy/build/"))
    assert again.status_code == 400 and "already has a draft rota" in again.content.decode()
    assert saved(gov.partnership) == before


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"representative_1": ""}, "representative_1", "Select the representative's school for seat 1"),
        ({"representative_1": "abc"}, "representative_1", "using one of the options given"),
        ({"reserve_1": "0"}, "reserve_1", "using one of the options given"),
        ({"reserve_1": "REP1"}, "reserve_1", "this seat's representative"),
        ({"representative_2": "REP1"}, "representative_2", "already the representative for seat 1"),
        ({"reserve_2": "RES1"}, "reserve_2", "already the reserve for seat 1"),
        ({"reserve_1": "REP2"}, "reserve_1", "is the representative for seat 2"),
    ],
)
def test_a_bad_first_rota_is_refused_and_saves_nothing(gov, client_for, data, field, message):
    s = gov.extra
    values = {"REP1": s[0].pk, "RES1": s[1].pk, "REP2": s[2].pk, "RES2": s[3].pk}
    form = {"representative_1": "REP1", "reserve_1": "RES1", "representative_2": "REP2", "reserve_2": "RES2"}
    form.update(data)
    form = {key: values.get(value, value) for key, value in form.items()}
    before = saved(gov.partnership)
    response = client_for(gov.coordinator).post(url(gov, "strategy/first/"), form)
    assert response.status_code == 400
    assert any(message in text for text in response.context["form"].errors[field]), response.context["form"].errors
    assert saved(gov.partnership) == before


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reserve": "REP"}, "reserve", "this seat's representative"),
        ({"representative": "OTHER_REP"}, "representative", "already the representative for seat 2"),
        ({"reserve": "OTHER_REP"}, "reserve", "is the representative for seat 2"),
        ({"representative": "x" * 500}, "representative", "using one of the options given"),
        ({"substitute": "123456789"}, "substitute", "using one of the options given"),
        ({"substitute": "DEPUTY"}, "substitute", "is not a deputy headteacher of"),
    ],
)
def test_a_bad_seat_change_is_refused_and_saves_nothing(gov, client_for, data, field, message):
    s = gov.extra
    rota = make_rota(gov.partnership, [(s[0], s[1]), (s[2], s[3])], confirmed=False)
    deputy = UserFactory()
    with scopes_disabled():
        give_role(deputy, gov.partnership, Role.DEPUTY, s[3])
        seat = rota.seats.get(seat=1)
    values = {"REP": s[0].pk, "OTHER_REP": s[2].pk, "DEPUTY": deputy.pk}
    form = {"representative": s[0].pk, "reserve": s[1].pk, "substitute": ""}
    form.update({key: values.get(value, value) for key, value in data.items()})
    before = saved(gov.partnership)
    response = client_for(gov.coordinator).post(url(gov, f"strategy/seats/{seat.pk}/"), form)
    assert response.status_code == 400
    assert any(message in text for text in response.context["form"].errors[field]), response.context["form"].errors
    assert saved(gov.partnership) == before


def test_confirming_a_rota_for_a_term_that_has_ended_is_refused(gov, client_for):
    s = gov.extra
    with scope(partnership=gov.partnership):
        last_year = terms_ensure(gov.partnership, 2024)[0]
    rota = make_rota(gov.partnership, [(s[0], s[1])], term=last_year, confirmed=False)
    client = client_for(gov.coordinator)
    page = client.get(url(gov, f"strategy/rotas/{rota.pk}/confirm/")).content.decode()
    assert "a rota cannot be confirmed for a term that has ended" in page
    response = client.post(url(gov, f"strategy/rotas/{rota.pk}/confirm/"))
    assert response.status_code == 400
    assert "a rota cannot be confirmed for a term that has ended" in response.content.decode()
    with scopes_disabled():
        rota.refresh_from_db()
        assert rota.confirmed_at is None


def test_building_with_nothing_to_build_from_is_explained(gov, client_for):
    client = client_for(gov.coordinator)
    page = client.get(url(gov, "strategy/build/"))
    assert page.status_code == 200 and "no confirmed rota to build from" in page.content.decode()
    response = client.post(url(gov, "strategy/build/"), {"anything": "x" * 1000})
    assert response.status_code == 400
    assert saved(gov.partnership)[3] == 0


def test_bad_ids_in_the_url_are_404(gov, client_for):
    client = client_for(gov.coordinator)
    assert client.get(url(gov, "strategy/seats/999999/")).status_code == 404
    assert client.post(url(gov, "strategy/rotas/999999/confirm/")).status_code == 404


# --- Query budgets -----------------------------------------------------------------------------------


def _small(tenant):
    """One election, office roles, and rotas for this term and next: every page's reads run once."""
    s = tenant.extra
    record_election(tenant.coordinator, tenant.partnership, tenant.heads[0], starts=D(2025, 9, 1))
    record_election(tenant.coordinator, tenant.partnership, tenant.heads[1], starts=D(2025, 9, 1), office="vice_chair")
    with scope(partnership=tenant.partnership):
        this_term = term_on_or_after(tenant.partnership, timezone.localdate())
        next_term = next_term_after(tenant.partnership, this_term)
    tenant.rota = make_rota(tenant.partnership, [(s[2], s[3])], term=this_term)
    tenant.next_rota = make_rota(tenant.partnership, [(s[3], s[0])], term=next_term, confirmed=False)


def _grow(tenant, schools=200):
    """200 member schools with headteachers and deputies, years of elections, and ten-seat rotas."""
    created = School.objects.bulk_create(
        School(urn=700000 + i, name=f"Big School {i:03}", phase="secondary" if i % 5 == 0 else "primary")
        for i in range(schools)
    )
    Membership.objects.bulk_create(
        Membership(partnership=tenant.partnership, school=s, joined="2010-09-01") for s in created
    )
    users = User.objects.bulk_create(
        User(email=f"big{i}@example.org", full_name=f"Big Person {i:03}", password="!") for i in range(2 * schools)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(
            user=users[i],
            partnership=tenant.partnership,
            role=Role.HEADTEACHER if i < schools else Role.DEPUTY,
            school=created[i % schools],
            start="2015-09-01",
        )
        for i in range(2 * schools)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(
            user=users[i],
            partnership=tenant.partnership,
            role=Role.CHAIR,
            start=f"{2000 + i}-09-01",
            end=f"{2001 + i}-08-31",
        )
        for i in range(20)
    )
    elections = Election.objects.bulk_create(
        Election(
            partnership=tenant.partnership,
            office="chair",
            held_on=f"{2000 + i}-07-01",
            term_starts=f"{2000 + i}-09-01",
            term_ends=f"{2001 + i}-08-31",
            method="votes",
            elected=users[i],
            school=created[i],
            recorded_by=tenant.coordinator,
        )
        for i in range(20)
    )
    Candidate.objects.bulk_create(
        Candidate(election=e, user=users[i * 5 + k], votes=k) for i, e in enumerate(elections) for k in range(5)
    )
    for rota, offset in ((tenant.rota, 0), (tenant.next_rota, 20)):
        RotaSeat.objects.bulk_create(
            RotaSeat(rota=rota, seat=n, representative=created[offset + n], reserve=created[offset + n + 50])
            for n in range(2, 11)
        )


# Session and user (2), tenant resolution and roles, which give the permissions (2), then the page's own reads.
PAGES = [
    # + offices (2), terms (1), later terms with a rota (1), constitution (1), rotas and seats (2), office
    # and head roles (2), ...; then the summaries of groups and their chairs, development areas and the
    # interests register (7).
    ("", 23),
    ("offices/", 8),  # + office roles (1), heads (1), elections and candidates (2), constitution (1)
    # + constitution (1), everyone's roles and the member schools, for who may stand (2)
    ("offices/record/?office=chair", 7),
    ("strategy/", 15),  # the strategy group this term, next term and later terms with a rota
    # + term (1), rotas (1), constitution (1), members and headteachers, for who may sit on the rota (2)
    ("strategy/first/", 9),
]


@pytest.mark.parametrize(("path", "budget"), PAGES)
def test_pages_run_a_constant_number_of_queries(gov, client_for, path, budget):
    with scopes_disabled():
        _small(gov)
    client = client_for(gov.coordinator)
    assert_constant_queries(client, url(gov, path), grow=lambda: _grow(gov), at_most=budget)


@pytest.mark.parametrize(("page", "budget"), [("seat", 9), ("confirm", 11)])
def test_the_seat_and_confirm_pages_run_a_constant_number_of_queries(gov, client_for, page, budget):
    with scopes_disabled():
        _small(gov)
        seat = gov.next_rota.seats.get(seat=1)
    path = f"strategy/seats/{seat.pk}/" if page == "seat" else f"strategy/rotas/{gov.next_rota.pk}/confirm/"
    client = client_for(gov.coordinator)
    assert_constant_queries(client, url(gov, path), grow=lambda: _grow(gov), at_most=budget)


def test_the_build_page_runs_a_constant_number_of_queries(gov, client_for):
    with scopes_disabled():
        _small(gov)
        gov.next_rota.delete()
        gov.next_rota = make_rota(gov.partnership, [], term=past_term_of(gov), confirmed=True)
    client = client_for(gov.coordinator)
    assert_constant_queries(client, url(gov, "strategy/build/"), grow=lambda: _grow(gov), at_most=14)


def past_term_of(tenant):
    with scope(partnership=tenant.partnership):
        return terms_ensure(tenant.partnership, 2019)[0]


def test_the_governance_page_summarises_groups_areas_and_interests(tenant_a, client_for):
    from partnerships.calendar import academic_year_of
    from partnerships.models import DevelopmentArea, Group

    with scopes_disabled():
        Group.objects.create(
            partnership=tenant_a.partnership, kind="standing", name="EYFS Network", starts="2024-09-01"
        )
        DevelopmentArea.objects.create(
            partnership=tenant_a.partnership, academic_year=academic_year_of(timezone.localdate()), name="Numeracy"
        )
    coordinator = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/governance/").content.decode()
    assert "EYFS Network" in coordinator and "Numeracy" in coordinator
    assert "The register of interests" in coordinator
    head = client_for(tenant_a.headteacher).get(f"/p/{tenant_a.slug}/governance/").content.decode()
    assert "The register of interests" not in head and "Your declarations of interests" in head


def test_a_draft_rota_built_two_terms_ahead_can_be_found_and_confirmed_from_the_page(gov, client_for):
    s = {school.name: school for school in gov.extra}
    client = client_for(gov.coordinator)
    client.post(
        url(gov, "strategy/first/"),
        {
            "representative_1": s["St Luke's College"].pk,
            "reserve_1": s["Pinhoe Primary"].pk,
            "representative_2": s["Stokehill Junior"].pk,
            "reserve_2": s["St James's School"].pk,
        },
    )
    for _ in range(2):  # confirm this term's rota and build the next; then confirm that and build again
        with scopes_disabled():
            draft = StrategyRota.objects.get(partnership=gov.partnership, confirmed_at__isnull=True)
        assert client.post(url(gov, f"strategy/rotas/{draft.pk}/confirm/")).status_code == 302
        assert client.post(url(gov, "strategy/build/")).status_code == 302
    with scopes_disabled():
        rotas = list(StrategyRota.objects.filter(partnership=gov.partnership).select_related("term"))
        furthest = max(rotas, key=lambda rota: rota.term.starts)
    assert furthest.confirmed_at is None and len(rotas) == 3
    response = client.get(url(gov, "strategy/"))
    page = response.content.decode()
    assert [group.term for group in response.context["groups"]] == sorted(
        [rota.term for rota in rotas], key=lambda term: term.starts
    )
    assert url(gov, f"strategy/rotas/{furthest.pk}/confirm/") in page


# --- The confirmed rota gives the representatives' roles ------------------------------------------------------


def representatives_on(page: str) -> list[str]:
    """The names in the people page's rows whose role is a strategy group representative or reserve."""
    rows = page.split('<tr class="govuk-table__row">')[1:]
    return sorted(
        html.unescape(row.split('class="govuk-table__header">')[1].split("<br>")[0])
        for row in rows
        if 'data-label="Role">Strategy group' in row
    )


def test_confirming_a_rota_changes_the_representatives_on_the_people_page(gov, client_for):
    pinhoe, stokehill, st_lukes, st_james = gov.extra
    # Last term's representative, who stayed on because nothing ended the role.
    former = UserFactory(full_name="Former Representative")
    with scopes_disabled():
        RoleAssignment.objects.create(
            user=former, partnership=gov.partnership, role=Role.STRATEGY_REP, start=D(2024, 9, 1)
        )
    rota = make_rota(gov.partnership, [(st_lukes, pinhoe), (stokehill, st_james)], confirmed=False)
    client = client_for(gov.coordinator)
    people = client.get(f"/p/{gov.slug}/people/").content.decode()
    assert representatives_on(people) == ["Former Representative"]
    assert client.post(url(gov, f"strategy/rotas/{rota.pk}/confirm/")).status_code == 302
    people = client.get(f"/p/{gov.slug}/people/").content.decode()
    assert representatives_on(people) == sorted(f"Head of {s.name}" for s in gov.extra)
    assert "Change on the rota" in people and "Former Representative" not in people


def test_a_group_without_a_primary_school_needs_the_coordinators_reason_to_be_confirmed(gov, client_for):
    pinhoe, stokehill, st_lukes, st_james = gov.extra
    with scopes_disabled():
        # The chair and vice chair of tenant A are not headteachers here, so the group's schools are the rota's.
        assert not RoleAssignment.objects.filter(partnership=gov.partnership, role=Role.CHAIR).active().exists()
    rota = make_rota(gov.partnership, [(st_lukes, pinhoe), (st_james, stokehill)], confirmed=False)
    with scopes_disabled():
        RotaSeat.objects.filter(rota=rota, seat=1).update(reserve=None)
    client = client_for(gov.coordinator)
    confirm = url(gov, f"strategy/rotas/{rota.pk}/confirm/")
    page = client.get(confirm).content.decode()
    assert "Why the strategy group has no primary school this term" in page
    before = saved(gov.partnership)
    response = client.post(confirm, {"phase_reason": "  "})
    assert response.status_code == 400
    assert response.context["form"].errors["phase_reason"] == [
        "Enter why the strategy group has no primary school, or change a representative: the agreement says "
        "the group should always include primary and secondary schools"
    ]
    assert 'href="#id_phase_reason"' in response.content.decode()
    assert saved(gov.partnership) == before
    reason = "Both primary heads are covering Ofsted inspections this term"
    assert client.post(confirm, {"phase_reason": reason}).status_code == 302
    with scopes_disabled():
        rota.refresh_from_db()
        assert rota.phase_reason == reason
        assert AuditEvent.objects.get(action="rota.confirmed", data__rota=rota.pk).data["phase_reason"] == reason
    strategy = client.get(url(gov, "strategy/")).content.decode()
    assert "Confirmed without both a primary and a secondary school" in strategy and reason in strategy
