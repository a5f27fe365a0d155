"""The demo partnerships' constitutions, term dates and leavers, as their agreements say."""

from decimal import Decimal

from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import AuditEvent, User
from partnerships.calendar import academic_year_of
from partnerships.demo import constitution as demo_constitution
from partnerships.demo import seeds as demo
from partnerships.models import Constitution, LeavingNotice, Membership, Partnership, Term


def snapshot():
    return (
        list(Constitution.objects.order_by("pk").values()),
        list(Term.objects.order_by("pk").values()),
        list(LeavingNotice.objects.order_by("pk").values_list("pk", "received_on", "leaving_on", "letter")),
        list(Membership.objects.order_by("pk").values_list("pk", "left", "approved_on", "approval_reference")),
        AuditEvent.objects.filter(action__startswith=("constitution")).count(),
        AuditEvent.objects.filter(action__startswith=("membership")).count(),
    )


def test_the_demo_sets_each_partnership_up_as_its_agreement_says(db, settings):
    """One test, so the demo (which takes a while) loads once."""
    call_command("load_demo", stdout=open("/dev/null", "w"))
    loading_this_part_of_the_demo_again_changes_nothing()
    with scopes_disabled():
        constitutions = {
            c.partnership.slug: c for c in Constitution.objects.select_related("partnership", "banker_school")
        }
    exeter_beacon_meets_half_termly_with_a_rota_and_five_development_areas(constitutions)
    heart_of_manchester_pays_2_pounds_per_fte_to_rolls_crescent_and_does_not_refund(constitutions)
    kingston_north_follows_the_terms_of_reference(constitutions)
    education_kingston_and_swale(constitutions)
    each_partnership_shares_school_records_as_its_agreement_says(constitutions)
    every_partnership_has_this_years_and_next_years_terms()
    two_schools_are_leaving_with_notice_given()
    the_coordinator_sees_the_constitution_and_the_leaver(settings)


def loading_this_part_of_the_demo_again_changes_nothing():
    with scopes_disabled():
        before = snapshot()
        admin = User.objects.get(email="admin@commonroom.example")
        for spec in demo.PARTNERSHIPS:
            demo_constitution.load(Partnership.objects.get(slug=spec["slug"]), spec, admin)
        assert snapshot() == before
        assert len(before[0]) == 5


def exeter_beacon_meets_half_termly_with_a_rota_and_five_development_areas(constitutions):
    c = constitutions["exeter-beacon"]
    assert c.meeting_frequency == Constitution.Frequency.HALF_TERMLY
    assert (c.chair_term_years, c.chair_max_consecutive_years, c.chair_must_be_headteacher) == (1, 4, True)
    assert (c.strategy_head_reps, c.strategy_reserve_rotates, c.strategy_needs_primary_and_secondary) == (2, True, True)
    assert (c.development_area_target, c.development_area_minimum) == (5, 3)
    assert c.cpd_free_hours_per_term == 0


def heart_of_manchester_pays_2_pounds_per_fte_to_rolls_crescent_and_does_not_refund(constitutions):
    c = constitutions["heart-of-manchester"]
    assert (c.contribution_basis, c.contribution_rate) == (Constitution.Basis.PER_FTE, Decimal("2.00"))
    assert c.banker_school.urn == 990207 and c.banker_admin_share_percent == Decimal("10")
    assert (c.leaving_notice_terms, c.leaver_contribution_refunded) == (1, False)


def kingston_north_follows_the_terms_of_reference(constitutions):
    c = constitutions["kingston-north"]
    assert (c.meeting_frequency, c.min_meetings_per_year, c.notice_days) == ("minimum_per_year", 3, 7)
    assert c.contribution_basis == Constitution.Basis.PER_ACTIVITY
    assert c.cpd_free_hours_per_term == Decimal("3")
    assert "never stored" in c.information_sharing


def education_kingston_and_swale(constitutions):
    assert constitutions["education-kingston"].meeting_frequency == Constitution.Frequency.TERMLY
    assert constitutions["education-kingston"].contribution_basis == Constitution.Basis.NONE
    swale = constitutions["swale-lcsp"]
    assert swale.meeting_frequency == Constitution.Frequency.TERMLY
    assert "not disclosed to any third party" in swale.information_sharing


def each_partnership_shares_school_records_as_its_agreement_says(constitutions):
    shared = {
        slug: (c.share_staff_contacts, c.share_census, c.share_budget, c.share_contributions)
        for slug, c in constitutions.items()
    }
    private = ("nobody_else",) * 4
    # Kent: staff and pupil records are confidential; the others share nothing of a school's own either,
    # except Heart of Manchester, whose heads share accountability for the money and whose staff networks
    # work across the schools.
    assert shared.pop("heart-of-manchester") == ("partnership", "headteachers", "nobody_else", "headteachers")
    assert shared == dict.fromkeys(["exeter-beacon", "kingston-north", "education-kingston", "swale-lcsp"], private)


def every_partnership_has_this_years_and_next_years_terms():
    year = academic_year_of(timezone.localdate())
    with scopes_disabled():
        for partnership in Partnership.objects.all():
            names = set(
                Term.objects.filter(partnership=partnership, academic_year__in=[year, year + 1]).values_list(
                    "academic_year", "name"
                )
            )
            assert len(names) == 6, partnership.slug


def two_schools_are_leaving_with_notice_given():
    today = timezone.localdate()
    with scopes_disabled():
        notices = {
            n.membership.school.urn: n
            for n in LeavingNotice.objects.select_related("membership__school", "partnership")
        }
        assert set(notices) == {990110, 990208}
        whipton = notices[990110]
        assert whipton.partnership.slug == "exeter-beacon"
        term = Term.objects.get(
            partnership=whipton.partnership, starts__lte=whipton.received_on, ends__gte=whipton.received_on
        )
        assert whipton.received_on <= today and whipton.letter
        assert whipton.membership.left == whipton.leaving_on > term.ends
        st_marys = notices[990208]
        assert st_marys.partnership.slug == "heart-of-manchester" and st_marys.membership.left == st_marys.leaving_on


def the_coordinator_sees_the_constitution_and_the_leaver(settings):
    client = Client()
    client.post(
        "/accounts/login/", {"login": "coordinator@heart-of-manchester.example", "password": settings.DEMO_PASSWORD}
    )
    body = client.get("/p/heart-of-manchester/constitution/").content.decode()
    assert "£2.00 per full-time equivalent pupil at the January census" in body
    assert "Rolls Crescent Primary School" in body and "10% of the funds it holds" in body
    members = client.get("/p/heart-of-manchester/membership/?status=all").content.decode()
    assert "St Mary&#x27;s Church of England Primary School" in members
    assert "Leaving on" in members or "Left" in members
