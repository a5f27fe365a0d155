"""A coordinator runs the partnership's constitution through the browser: a school's notice to leave,
the strategy group's next rota, the school register import and an election against the chair's term
limit. Every page is checked by the harness (axe-core, no sideways scrolling) and screenshotted."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from accounts.models import User
from partnerships.calendar import academic_year_of
from partnerships.models import (
    AreaParticipation,
    DevelopmentAction,
    DevelopmentArea,
    DevelopmentMilestone,
    Group,
    GroupMember,
    LeavingNotice,
    Membership,
    Partnership,
    RoleAssignment,
    StrategyRota,
)
from partnerships.models.constitution import SECTIONS
from partnerships.roles import Role
from partnerships.selectors.terms import next_term_after, term_label, term_on_or_after, terms_for_years
from schools.models import Person, School
from tests.e2e.conftest import PHONE, date_boxes, fill_date
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import PDF, give_role, make_rota, member_school_with_head, record_election
from tests.factories.schools import csv_bytes, gias_row

pytestmark = pytest.mark.e2e
D = datetime.date
GIAS = Path(__file__).resolve().parent.parent / "fixtures" / "gias"


def error_summary(page):
    return page.locator(".govuk-error-summary")


def banner(page):
    return page.locator(".govuk-notification-banner")


def region(page, heading: str):
    """A section labelled by its heading, which may end with a status tag."""
    pattern = "^" + re.escape(heading).replace("/", "\\/")  # Playwright's selector needs the slash escaped
    return page.get_by_role("region", name=re.compile(pattern))


def long_date(day: datetime.date) -> str:
    return day.strftime("%-d %B %Y")


def factory_user(name: str):
    return UserFactory(full_name=name)


def membership_pk(tenant, school) -> int:
    with scopes_disabled():
        return Membership.objects.get(partnership=tenant.partnership, school=school).pk


# --- 1. A notice to leave ------------------------------------------------------------------------


def test_coordinator_records_a_notice_to_leave_with_its_letter(site, tenant_a, tmp_path):
    page, slug = site.page, tenant_a.slug
    school = tenant_a.schools[1]
    today = timezone.localdate()
    with scopes_disabled():
        year = academic_year_of(today)
        terms = terms_for_years(tenant_a.partnership, year, year + 1)  # the default term dates
    # One term's notice (the constitution's default): notice that arrives during a term runs to the end of
    # the next term; notice that arrives in a holiday, to the end of the term that starts next.
    upcoming = [term for term in terms if term.ends >= today]
    leaves = upcoming[1].ends if upcoming[0].starts <= today else upcoming[0].ends
    letter = tmp_path / "notice-letter.pdf"
    letter.write_bytes(PDF)

    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    site.follow("Members")
    site.follow(school.name)
    expect(page.get_by_role("main")).to_contain_text("Active")
    site.follow(f"Record a notice to leave from {school.name}")
    assert site.path == f"/p/{slug}/membership/{membership_pk(tenant_a, school)}/notice/"
    expect(page.locator("h1")).to_have_text("Record a notice to leave")
    assert date_boxes(page, "Date the notice was received") == (str(today.day), str(today.month), str(today.year))

    # A notice dated next week has not arrived yet: refused next to the date, nothing saved.
    fill_date(page, "Date the notice was received", today + datetime.timedelta(days=7))
    page.get_by_label("Letter", exact=True).check()
    page.get_by_label("From").fill("Sam Patel, headteacher")
    page.get_by_label("The letter").set_input_files(str(letter))
    site.submit("Record the notice", status=400, name="notice-in-the-future")
    expect(page).to_have_title(f"Error: Record a notice to leave: {school.name} – Alpha Partnership – Commonroom")
    expect(error_summary(page)).to_be_focused()
    expect(error_summary(page)).to_contain_text("cannot be in the future")
    expect(error_summary(page).get_by_role("link")).to_have_attribute("href", "#id_received_on")
    expect(page.locator("#id_received_on-error")).to_contain_text("cannot be in the future")
    expect(page.get_by_label("From")).to_have_value("Sam Patel, headteacher")
    expect(page.get_by_label("Letter", exact=True)).to_be_checked()
    with scopes_disabled():
        assert not LeavingNotice.objects.exists()

    # Today's date, the signed letter attached again (a browser never keeps a file after an error).
    fill_date(page, "Date the notice was received", today)
    page.get_by_label("The letter").set_input_files(str(letter))
    page.get_by_label("Notes (optional)").fill("Joining a multi-academy trust")
    site.submit("Record the notice", status=200, name="notice-recorded")
    expect(banner(page)).to_contain_text(f"Notice recorded: {school.name} leaves on {long_date(leaves)}")
    expect(page.locator("h1")).to_have_text("Notice to leave")
    main = page.get_by_role("main")
    expect(main).to_contain_text(f"Leaves on {long_date(leaves)}")
    expect(main).to_contain_text(f"on {long_date(leaves)}.")  # the sentence that explains the date
    expect(main).to_contain_text("Sam Patel, headteacher")
    expect(main).to_contain_text("Joining a multi-academy trust")
    expect(main.locator(".govuk-summary-list__row", has_text="How it was given")).to_contain_text("Letter")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download the letter from {school.name}").click()
    assert Path(download.value.path()).read_bytes() == PDF
    with scopes_disabled():
        notice = LeavingNotice.objects.get()
        assert notice.leaving_on == leaves and notice.received_on == today
        assert Membership.objects.get(pk=notice.membership_id).left == leaves

    # The status shows in the members directory, and the filter finds the school among the leavers.
    site.follow("Back to the membership")
    expect(page.get_by_role("main")).to_contain_text(f"Leaving on {long_date(leaves)}")
    site.follow("Members")
    row = page.get_by_role("row", name=school.name)
    expect(row).to_contain_text(f"Leaving on {long_date(leaves)}")
    expect(page.get_by_role("row", name=tenant_a.schools[0].name)).to_contain_text("Active")
    page.get_by_label("Status").select_option(label="Leaving")
    site.submit("Search", status=200, name="directory-leaving")
    expect(page.get_by_role("table")).to_contain_text(school.name)
    expect(page.get_by_role("table")).not_to_contain_text(tenant_a.schools[0].name)
    site.follow(school.name)
    expect(page.get_by_role("link", name=f"Record a notice to leave from {school.name}")).to_have_count(0)


# --- 2. Next term's strategy group rota ------------------------------------------------------------


SEAT_1, SEAT_2 = re.compile("^Headteacher representative 1"), re.compile("^Headteacher representative 2")
ROTA_SCHOOLS = [
    ("Willowbrook Primary School", School.Phase.PRIMARY),
    ("Pinhoe Primary School", School.Phase.PRIMARY),
    ("St Luke's Science and Sports College", School.Phase.SECONDARY),
    ("Stokehill Junior School", School.Phase.JUNIOR),
    ("Ladysmith Infant School", School.Phase.INFANT),
    ("St James's School", School.Phase.SECONDARY),
]


def rota_schools(tenant) -> dict:
    """Six member schools with their heads; Willowbrook's head is chair, Pinhoe's vice chair. Only these can
    sit on the rota: the tenant's own two schools left long ago."""
    partnership = tenant.partnership
    Membership.objects.filter(partnership=partnership, school__in=tenant.schools).update(left=D(2021, 8, 31))
    schools, heads = {}, {}
    for name, phase in ROTA_SCHOOLS:
        schools[name], heads[name] = member_school_with_head(partnership, phase=phase, name=name, joined=D(2010, 9, 1))
    give_role(heads["Willowbrook Primary School"], partnership, Role.CHAIR, start=D(2024, 9, 1))
    give_role(heads["Pinhoe Primary School"], partnership, Role.VICE_CHAIR, start=D(2024, 9, 1))
    return schools


def test_coordinator_sets_up_the_first_rota(site, tenant_a):
    page, slug = site.page, tenant_a.slug
    with scopes_disabled():
        rota_schools(tenant_a)
        label = term_label(term_on_or_after(tenant_a.partnership, timezone.localdate()))

    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    site.visit(f"/p/{slug}/governance/strategy/")
    site.submit("Set up the first rota", status=200)  # a link that looks like a button
    expect(page.locator("h1")).to_have_text("Set up the strategy group's first rota")
    seat_1, seat_2 = page.get_by_role("group", name="Seat 1"), page.get_by_role("group", name="Seat 2")
    seat_1.get_by_label("Seat 1: representative's school").select_option(label="St Luke's Science and Sports College")
    seat_1.get_by_label("Seat 1: reserve's school").select_option(label="St Luke's Science and Sports College")
    seat_2.get_by_label("Seat 2: representative's school").select_option(label="Ladysmith Infant School")
    seat_2.get_by_label("Seat 2: reserve's school").select_option(label="St James's School")
    site.submit("Save as a draft", status=400, name="first-rota-reserve-is-the-representative")
    expect(error_summary(page)).to_be_focused()
    expect(page.locator("#id_reserve_1-error")).to_contain_text("this seat's representative")

    seat_1.get_by_label("Seat 1: reserve's school").select_option(label="Stokehill Junior School")
    site.submit("Save as a draft", status=200, name="first-rota-saved")
    expect(banner(page)).to_contain_text(f"The rota for the {label} is ready to confirm")
    site.submit(f"Check and confirm the rota for the {label}", status=200)
    site.submit("Confirm the rota", status=200, name="first-rota-confirmed")
    expect(region(page, label)).to_contain_text("Confirmed")
    expect(page.get_by_role("button", name="Build next term's rota")).to_be_visible()


def test_coordinator_builds_adjusts_and_confirms_next_terms_rota(site, tenant_a):
    page, slug, partnership = site.page, tenant_a.slug, tenant_a.partnership
    with scopes_disabled():
        schools = rota_schools(tenant_a)
        deputy = give_role(
            factory_user("Dee Marsh"), partnership, Role.DEPUTY, schools["Stokehill Junior School"], start=D(2024, 9, 1)
        ).user
        this_term = term_on_or_after(partnership, timezone.localdate())
        next_term = next_term_after(partnership, this_term)
        this_label, next_label = term_label(this_term), term_label(next_term)
        # This term: St Luke's represents seat 1 with Stokehill as its reserve; Ladysmith seat 2 with St James's.
        make_rota(
            partnership,
            [
                (schools["St Luke's Science and Sports College"], schools["Stokehill Junior School"]),
                (schools["Ladysmith Infant School"], schools["St James's School"]),
            ],
            term=this_term,
            actor=tenant_a.coordinator,
        )

    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    site.follow("Governance")
    site.follow("The strategy group and its rota")
    this_group = region(page, this_label)
    expect(this_group).to_contain_text("Confirmed")
    expect(this_group.get_by_role("row", name=SEAT_1)).to_contain_text("St Luke's")
    expect(region(page, next_label)).to_contain_text("No rota")

    # The plan: each reserve becomes its seat's representative, and new reserves are chosen in turn.
    site.submit("Build next term's rota", status=200)  # a link that looks like a button
    expect(page.locator("h1")).to_have_text("Build next term's rota")
    draft = page.get_by_role("table", name=f"Draft rota, {next_label}")
    expect(draft.get_by_role("row").nth(1)).to_contain_text("Stokehill Junior School")
    expect(draft.get_by_role("row").nth(2)).to_contain_text("St James's School")
    expect(draft).to_contain_text("Ladysmith Infant School")  # a reserve: represented this term, first by name
    site.submit("Build the draft rota", status=200, name="rota-built")
    expect(banner(page)).to_contain_text(f"The draft rota for the {next_label} is built")
    next_group = region(page, next_label)
    expect(next_group).to_contain_text("Draft")
    expect(next_group.get_by_role("row", name=SEAT_1)).to_contain_text("Stokehill Junior School")
    expect(next_group.get_by_role("row", name=SEAT_2)).to_contain_text("St James's School")

    # Seat 1: St James's represents seat 2, so it cannot be seat 1's reserve as well: it is not offered,
    # and the page says why.
    site.follow(f"Change seat 1, {next_label}")
    expect(page.locator("h1")).to_have_text("Change seat 1")
    expect(page.get_by_label("Representative's school")).to_have_value(str(schools["Stokehill Junior School"].pk))
    expect(page.get_by_label("Reserve's school").locator("option", has_text="St James's School")).to_have_count(0)
    page.get_by_text("Why is a school not in the list?").click()
    expect(page.locator("details")).to_contain_text(
        "St James's School is the representative for seat 2 already: a school can be on the rota only once"
    )
    site.check("seat-not-listed")

    # The headteacher of Stokehill cannot come next term: the deputy substitutes.
    substitute = "Dee Marsh, deputy headteacher of Stokehill Junior School"
    page.get_by_label("Substitute (optional)").select_option(label=substitute)
    site.submit("Save seat 1", status=200, name="seat-saved")
    expect(banner(page)).to_contain_text(f"Seat 1 of the {next_label} rota changed")
    next_group = region(page, next_label)
    expect(next_group).to_contain_text("Substitute: Dee Marsh, deputy headteacher")

    site.submit(f"Check and confirm the rota for the {next_label}", status=200)
    expect(page.locator("h1")).to_have_text("Confirm the strategy group rota")
    site.submit("Confirm the rota", status=200, name="rota-confirmed")
    expect(banner(page)).to_contain_text(f"The rota for the {next_label} is confirmed")
    expect(region(page, next_label)).to_contain_text("Confirmed")
    expect(page.get_by_role("button", name="Build next term's rota")).to_have_count(0)
    with scopes_disabled():
        rota = StrategyRota.objects.get(partnership=partnership, term=next_term)
        assert rota.is_confirmed and rota.confirmed_by == tenant_a.coordinator
        seat = rota.seats.get(seat=1)
        assert (seat.representative, seat.substitute) == (schools["Stokehill Junior School"], deputy)


# --- 3. The school register from a GIAS file -------------------------------------------------------


def test_coordinator_imports_the_school_register_from_gias(site, tenant_a, tmp_path):
    page, slug = site.page, tenant_a.slug
    bad = tmp_path / "gias-with-problems.csv"
    bad.write_bytes(
        csv_bytes(
            [
                gias_row(990301, "Oakfield Primary School"),
                gias_row("abc", "Birchwood Primary School"),
                gias_row(990301, "Oakfield Primary School (again)"),
            ]
        )
    )
    good = GIAS / "heart_of_manchester.csv"
    today = timezone.localdate()

    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    site.follow("Members")
    site.submit("Import schools from GIAS", status=200)  # a link that looks like a button
    expect(page.locator("h1")).to_have_text("Import schools from GIAS")

    # Two bad rows: nothing is imported, and each row is listed with its line number.
    page.get_by_label("GIAS establishment file (CSV)").set_input_files(str(bad))
    site.submit("Import schools", status=400, name="import-bad-rows")
    expect(page).to_have_title("Error: Import schools from GIAS – Alpha Partnership – Commonroom")
    summary = error_summary(page)
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Nothing was imported: 2 rows of the file have problems")
    expect(summary).to_contain_text("Line 3: the URN")
    expect(summary).to_contain_text("Line 4: the URN 990301 is also on line 2")
    expect(summary.get_by_role("link").first).to_have_attribute("href", "#id_file")
    # Next to the field, every row in the one error message the file input is described by.
    field_error = page.locator("#id_file-error")
    expect(field_error).to_have_count(1)
    expect(field_error).to_contain_text("Line 3: the URN")
    expect(field_error).to_contain_text("Line 4: the URN 990301 is also on line 2")
    expect(page.get_by_label("GIAS establishment file (CSV)")).to_have_attribute(
        "aria-describedby", "id_file-hint id_file-error"
    )
    with scopes_disabled():
        assert not School.objects.filter(urn=990301).exists()

    # The real file, its schools added as members from today.
    page.get_by_label("GIAS establishment file (CSV)").set_input_files(str(good))
    page.get_by_label("Add the schools in the file as members of this partnership").check()
    fill_date(page, "Date they join", today)
    page.get_by_label("Where the decision to admit them is recorded (optional)").fill("Strategic group, minute 4")
    site.submit("Import schools", status=200, name="import-done")
    assert site.path == f"/p/{slug}/members/"
    expect(banner(page)).to_contain_text("Imported 8 schools: 8 created, 0 updated, 0 unchanged; 8 added as members")
    table = page.get_by_role("table")
    expect(table.get_by_role("caption")).to_have_text("10 schools")
    expect(page.get_by_role("row", name=re.compile("^Rolls Crescent Primary School"))).to_contain_text("Active")
    expect(table).to_contain_text("St Philip's Church of England Primary School")

    # Search the directory, then open a school's page from it.
    page.get_by_label("School name or URN").fill("Rolls")
    site.submit("Search", status=200, name="directory-search")
    expect(table.get_by_role("caption")).to_have_text("1 school found")
    site.follow("Rolls Crescent Primary School")
    expect(page.locator("h1")).to_have_text("Rolls Crescent Primary School")
    expect(page.get_by_role("main")).to_contain_text("Manchester")
    with scopes_disabled():
        assert Membership.objects.filter(partnership=tenant_a.partnership, joined=today).count() == 8


# --- 4. An election against the chair's term limit -------------------------------------------------


def test_coordinator_records_an_election_and_the_term_limit_is_kept(site, tenant_a):
    page, slug, partnership = site.page, tenant_a.slug, tenant_a.partnership
    year = academic_year_of(timezone.localdate())
    with scopes_disabled():
        pat_school, pat = member_school_with_head(partnership, name="Beacon Primary School", joined=D(2010, 9, 1))
        sam_school, sam = member_school_with_head(partnership, name="Hill Top Primary School", joined=D(2010, 9, 1))
        alex_school, alex = member_school_with_head(partnership, name="Riverside Academy", joined=D(2010, 9, 1))
        for name, user in (("Pat Okafor", pat), ("Sam Reid", sam), ("Alex Moss", alex)):
            user.full_name = name
            user.save(update_fields=["full_name"])
        # Pat has chaired for four years running, the fourth this academic year.
        for first in range(year - 3, year + 1):
            record_election(tenant_a.coordinator, partnership, pat, starts=D(first, 9, 1))
    next_term = D(year + 1, 9, 1)

    site.login(tenant_a.coordinator, expect_url=f"/p/{slug}/")
    site.follow("Governance")
    expect(page.get_by_role("main")).to_contain_text("in their fourth consecutive year")
    site.follow("Offices and the history of elections")
    site.submit("Record an election", status=200)  # a link that looks like a button

    def candidate(number: int):
        return page.get_by_role("group", name=f"Candidate {number}")

    # Who may stand depends on the office, so the page asks for it first.
    page.get_by_label("Chair", exact=True).check()
    site.submit("Continue", status=200, name="election-office")
    expect(page.locator(".govuk-caption-l")).to_have_text("Chair")

    # Re-electing Pat would be a fifth consecutive year: Pat is not offered, and the page says why.
    names = candidate(1).get_by_label("Name")
    expect(names.locator("option", has_text="Sam Reid, headteacher of Hill Top Primary School")).to_have_count(1)
    expect(names.locator("option", has_text="Pat Okafor")).to_have_count(0)
    expect(page.get_by_label("Who was elected?").locator("option", has_text="Pat Okafor")).to_have_count(0)
    page.get_by_text("Why is someone not in the list?").click()
    expect(page.locator("details")).to_contain_text(
        f"Pat Okafor, chair since 1 September {year - 3}: a further term of office would be a fifth consecutive "
        "year, and the agreement allows at most 4"
    )
    site.check("election-not-listed")

    # Sent without saying who was elected: the error summary names the field and links to it.
    fill_date(page, "First day of the term of office", next_term)
    page.get_by_label("Acclamation (unopposed)").check()
    candidate(1).get_by_label("Name").select_option(label="Sam Reid, headteacher of Hill Top Primary School")
    site.submit("Record the election", status=400, name="election-unanswered")
    expect(error_summary(page)).to_be_focused()
    expect(error_summary(page).get_by_role("link", name="Select who was elected")).to_have_attribute(
        "href", "#id_elected"
    )
    expect(error_summary(page)).not_to_contain_text("This field is required")
    expect(page.locator("#id_elected-error")).to_contain_text("Select who was elected")
    assert date_boxes(page, "First day of the term of office") == (
        str(next_term.day),
        str(next_term.month),
        str(next_term.year),
    )

    # A vote between Sam and Alex instead.
    page.get_by_label("A vote").check()
    candidate(1).get_by_label("Name").select_option(label="Sam Reid, headteacher of Hill Top Primary School")
    candidate(1).get_by_label("Votes").fill("9")
    candidate(2).get_by_label("Name").select_option(label="Alex Moss, headteacher of Riverside Academy")
    candidate(2).get_by_label("Votes").fill("5")
    page.get_by_label("Who was elected?").select_option(label="Sam Reid, headteacher of Hill Top Primary School")
    site.submit("Record the election", status=200, name="election-recorded")
    assert site.path == f"/p/{slug}/governance/offices/"
    expect(banner(page)).to_contain_text(f"Sam Reid elected chair from {long_date(next_term)}")
    elections = page.get_by_role("table", name="Elections, newest first")
    first_row = elections.get_by_role("row").nth(1)
    expect(first_row).to_contain_text("Sam Reid")
    expect(first_row).to_contain_text("Alex Moss: 5 votes")
    with scopes_disabled():
        chairs = RoleAssignment.objects.filter(partnership=partnership, role=Role.CHAIR)
        assert chairs.filter(user=sam, start=next_term).exists()


# --- 5. Every page of the constitution, on a desktop and on a phone ---------------------------------


@pytest.fixture
def demo(settings):
    """The demo's seed partnerships, with one coordinator for two of them: Exeter Beacon (14 schools, a chair
    in their third year, a strategy group rota, development areas) and Heart of Manchester (its standing
    groups and networks, a school leaving with notice given)."""
    call_command("load_demo", stdout=io.StringIO())
    with scopes_disabled():
        exeter = Partnership.objects.get(slug="exeter-beacon")
        manchester = Partnership.objects.get(slug="heart-of-manchester")
        coordinator = User.objects.get(email=f"coordinator@{exeter.slug}.example")
        give_role(coordinator, manchester, Role.COORDINATOR)
        area = DevelopmentArea.objects.filter(partnership=exeter).order_by("name").first()
        group = Group.objects.filter(partnership=manchester).order_by("name").first()
        school = Membership.objects.filter(partnership=exeter).select_related("school").first().school
        return {
            "exeter": exeter,
            "manchester": manchester,
            "coordinator": coordinator,
            "password": settings.DEMO_PASSWORD,
            "school": school,
            "person": Person.objects.filter(partnership=exeter, school=school).first(),
            "area": area,
            "action": DevelopmentAction.objects.filter(area=area).first(),
            "milestone": DevelopmentMilestone.objects.filter(area=area).first(),
            "participation": AreaParticipation.objects.filter(area=area).first(),
            "group": group,
            "group_member": GroupMember.objects.filter(group=group).first(),
            "notice": LeavingNotice.objects.filter(partnership=manchester).select_related("membership").first(),
        }


def test_every_page_of_the_constitution_passes_on_a_desktop_and_a_phone(site, demo):
    page = site.page
    exeter, manchester = f"/p/{demo['exeter'].slug}", f"/p/{demo['manchester'].slug}"
    school, area, group, notice = demo["school"], demo["area"], demo["group"], demo["notice"]
    assert None not in demo.values()
    site.login(demo["coordinator"], demo["password"], expect_url="/")
    site.follow("Exeter Beacon Learning Community")

    # Members: the directory with its filters, a school, the membership record.
    site.visit(f"{exeter}/members/?q=school&phase=primary&status=active", name="directory-filtered")
    expect(page.get_by_label("Phase")).to_have_value("primary")
    expect(page.get_by_role("table")).not_to_contain_text("St James's School")  # a secondary school
    site.visit(f"{exeter}/members/{school.urn}/")
    site.visit(f"{exeter}/membership/")

    # The constitution, one of its forms refused, and the term dates.
    site.visit(f"{exeter}/constitution/")
    site.follow("Change chair and vice chair")
    page.get_by_label("Most consecutive years as chair").fill("0")
    site.submit(page.locator("main form button[type=submit]").inner_text(), status=400, name="offices-refused")
    expect(error_summary(page)).to_be_focused()
    expect(page.locator("#id_chair_max_consecutive_years-error")).to_be_visible()
    site.visit(f"{exeter}/constitution/terms/")
    site.visit(f"{exeter}/constitution/terms/change/")

    # Governance: offices, the strategy group, development areas and interests.
    site.visit(f"{exeter}/governance/")
    expect(page.get_by_role("main")).to_contain_text("in their third consecutive year")
    site.visit(f"{exeter}/governance/offices/")
    site.visit(f"{exeter}/governance/offices/record/")
    site.visit(f"{exeter}/governance/strategy/")
    site.visit(f"{exeter}/development/")
    site.visit(f"{exeter}/development/{area.pk}/")
    site.visit(f"{exeter}/development/participation/")
    site.visit(f"{exeter}/interests/")
    site.visit(f"{exeter}/interests/register/")

    # Heart of Manchester: its groups and networks, and the school leaving with notice given.
    site.visit(f"{manchester}/members/?status=leaving", name="manchester-leaving")
    expect(page.get_by_role("table")).to_contain_text("Leaving on")
    site.visit(f"{manchester}/membership/notices/{notice.pk}/")
    site.visit(f"{manchester}/groups/")
    site.visit(f"{manchester}/groups/{group.pk}/")

    # Every other page of these areas: the forms, empty.
    for path in (
        f"{exeter}/members/import/",
        f"{exeter}/members/census/import/",
        f"{exeter}/members/{school.urn}/census/",
        f"{exeter}/members/{school.urn}/budget/",
        f"{exeter}/members/{school.urn}/people/add/",
        f"{exeter}/members/{school.urn}/people/{demo['person'].pk}/",
        f"{exeter}/members/{school.urn}/people/{demo['person'].pk}/remove/",
        f"{exeter}/membership/join/?q=school",
        f"{manchester}/membership/{notice.membership_id}/",
        f"{manchester}/membership/{notice.membership_id}/notes/",
        *(f"{exeter}/constitution/{section}/change/" for section in SECTIONS),
        f"{exeter}/governance/strategy/first/",
        f"{exeter}/governance/strategy/build/",
        f"{exeter}/development/new/",
        f"{exeter}/development/{area.pk}/change/",
        f"{exeter}/development/{area.pk}/actions/add/",
        f"{exeter}/development/{area.pk}/milestones/add/",
        f"{exeter}/development/{area.pk}/schools/add/",
        f"{exeter}/development/actions/{demo['action'].pk}/change/",
        f"{exeter}/development/milestones/{demo['milestone'].pk}/change/",
        f"{exeter}/development/schools/{demo['participation'].pk}/change/",
        f"{exeter}/development/schools/{demo['participation'].pk}/remove/",
        f"{exeter}/interests/declare/",
        f"{exeter}/interests/register/remind/",
        f"{manchester}/groups/new/",
        f"{manchester}/groups/new/?kind=task",
        f"{manchester}/groups/{group.pk}/change/",
        f"{manchester}/groups/{group.pk}/host/",
        f"{manchester}/groups/{group.pk}/members/add/",
        f"{manchester}/groups/members/{demo['group_member'].pk}/remove/",
    ):
        site.visit(path, name=path)

    # The same kinds of page at phone width: nothing may scroll sideways.
    page.set_viewport_size(PHONE)
    for path in (
        f"{exeter}/members/?q=school&phase=primary&status=active",
        f"{exeter}/members/{school.urn}/",
        f"{exeter}/membership/",
        f"{exeter}/constitution/",
        f"{exeter}/constitution/terms/change/",
        f"{exeter}/governance/",
        f"{exeter}/governance/offices/record/",
        f"{exeter}/governance/strategy/",
        f"{exeter}/development/{area.pk}/",
        f"{exeter}/development/participation/",
        f"{exeter}/interests/register/",
        f"{manchester}/membership/notices/{notice.pk}/",
        f"{manchester}/groups/",
        f"{manchester}/groups/{group.pk}/",
    ):
        site.visit(path, name="phone" + path)
