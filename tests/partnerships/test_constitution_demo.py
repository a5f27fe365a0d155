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
from partnerships.models.constitution import RULES
from partnerships.selectors.constitution import NOT_SET


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
    each_coordinator_sees_only_the_rules_of_their_agreement()


def loading_this_part_of_the_demo_again_changes_nothing():
    with scopes_disabled():
        before = snapshot()
        admin = User.objects.get(email="admin@commonroom.example")
        for spec in demo.PARTNERSHIPS:
            demo_constitution.load(Partnership.objects.get(slug=spec["slug"]), spec, admin)
        assert snapshot() == before
        assert len(before[0]) == 5


def rules_set(c) -> set[str]:
    return {rule for rule in RULES if c.is_set(rule)}


def exeter_beacon_meets_half_termly_with_a_rota_and_five_development_areas(constitutions):
    c = constitutions["exeter-beacon"]
    assert c.meeting_frequency == Constitution.Frequency.HALF_TERMLY
    assert (c.chair_term_years, c.chair_max_consecutive_years, c.chair_must_be_headteacher) == (1, 4, True)
    assert (c.strategy_head_reps, c.strategy_reserve_rotates, c.strategy_needs_primary_and_secondary) == (2, True, True)
    assert (c.development_area_target, c.development_area_minimum) == (5, 3)
    # No notice of meetings, no quorum, no leaving notice (withdrawal is renegotiated with the Strategy Group).
    assert rules_set(c) == {
        "meeting_frequency",
        "chair_term_years",
        "chair_max_consecutive_years",
        "chair_must_be_headteacher",
        "strategy_head_reps",
        "strategy_reserve_rotates",
        "strategy_needs_primary_and_secondary",
        "development_area_target",
        "development_area_minimum",
    }


def heart_of_manchester_pays_2_pounds_per_fte_to_rolls_crescent_and_does_not_refund(constitutions):
    c = constitutions["heart-of-manchester"]
    assert c.banker_school.urn == 990207
    assert (c.leaving_notice_terms, c.leaver_contribution_refunded) == (1, False)
    # No limit on the chair, no term of office, no figure for the banker's "portion", no meeting cycle.
    assert rules_set(c) == {"strategy_head_reps", "leaving_notice_terms", "leaver_contribution_refunded"}
    assert c.strategy_head_reps == 0  # the strategic group is every school's headteacher


def kingston_north_follows_the_terms_of_reference(constitutions):
    c = constitutions["kingston-north"]
    assert (c.meeting_frequency, c.min_meetings_per_year, c.notice_days) == ("minimum_per_year", 3, 7)
    assert c.cpd_free_hours_per_term == Decimal("3")
    assert "never stored" in c.information_sharing
    # The template asks "Quorum for meetings?" without answering it; it shares notes with the local authority.
    assert rules_set(c) == {
        "meeting_frequency",
        "min_meetings_per_year",
        "notice_days",
        "cpd_free_hours_per_term",
        "minutes_to_local_authority",
    }


def education_kingston_and_swale(constitutions):
    assert rules_set(constitutions["education-kingston"]) == set()
    swale = constitutions["swale-lcsp"]
    assert rules_set(swale) == set()
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
        # Exeter's agreement sets no notice period: the leaving date is the end of term, as agreed.
        assert whipton.membership.left == whipton.leaving_on == term.ends
        st_marys = notices[990208]
        assert st_marys.partnership.slug == "heart-of-manchester" and st_marys.membership.left == st_marys.leaving_on


def the_coordinator_sees_the_constitution_and_the_leaver(settings):
    client = Client()
    client.post(
        "/accounts/login/", {"login": "coordinator@heart-of-manchester.example", "password": settings.DEMO_PASSWORD}
    )
    body = client.get("/p/heart-of-manchester/constitution/").content.decode()
    assert "£2.00 per full-time equivalent pupil at the January census" in body
    assert "Rolls Crescent Primary School" in body
    members = client.get("/p/heart-of-manchester/membership/?status=all").content.decode()
    assert "St Mary&#x27;s Church of England Primary School" in members
    assert "Leaving on" in members or "Left" in members


# What each partnership's coordinator reads on its constitution page: (shown, not shown), by question.
PAGES = {
    "exeter-beacon": (
        {
            "How often the partnership meets": "Every half term",
            "Notice of meetings": NOT_SET,
            "Quorum": NOT_SET,
            "Term of office": "Elected every year",
            "Who may be chair or vice chair": "From the headteachers of member schools",
            "Longest a chair may serve": "4 consecutive years, if re-elected",
            "Leaving": NOT_SET,
            "A leaver&#x27;s contribution": NOT_SET,
            "Each school takes part in": "At least 3 areas",
        },
        ("7 days", "50%", "One term&#x27;s written notice"),
    ),
    "heart-of-manchester": (
        {
            "How often the partnership meets": NOT_SET,
            "Term of office": NOT_SET,
            "Who may be chair or vice chair": NOT_SET,
            "Longest a chair may serve": NOT_SET,
            # Not the agreement's figure ("a portion"): the year's scheme, as the strategic group agreed it.
            "Banker school&#x27;s administration share": "5% of each payment received",
            "Leaving": "One term&#x27;s written notice",
            "A leaver&#x27;s contribution": "Not refunded for the financial year in which it leaves",
        },
        ("consecutive years", "10% of the funds"),
    ),
    "kingston-north": (
        {
            "How often the partnership meets": "At least 3 strategic meetings a year",
            "Notice of meetings": "7 days&#x27; notice",
            "Quorum": NOT_SET,
            "Longest a chair may serve": NOT_SET,
            "Leaving": NOT_SET,
            "Leaders&#x27; professional development for colleagues": "Free of charge for up to 3 hours a term",
        },
        ("50%", "consecutive years"),
    ),
    "education-kingston": (
        {"How often the partnership meets": NOT_SET, "Notice of meetings": NOT_SET, "Quorum": NOT_SET},
        ("Every term", "consecutive years", "One term&#x27;s written notice"),
    ),
    "swale-lcsp": (
        {"How often the partnership meets": NOT_SET, "Longest a chair may serve": NOT_SET, "Leaving": NOT_SET},
        ("Every term", "consecutive years", "One term&#x27;s written notice"),
    ),
}


def each_coordinator_sees_only_the_rules_of_their_agreement():
    with scopes_disabled():
        coordinators = {slug: User.objects.get(email=f"coordinator@{slug}.example") for slug in PAGES}
    for slug, (shown, absent) in PAGES.items():
        client = Client()
        client.force_login(coordinators[slug])
        body = client.get(f"/p/{slug}/constitution/").content.decode()
        for question, answer in shown.items():
            row = f'<dt class="govuk-summary-list__key">{question}</dt><dd class="govuk-summary-list__value">{answer}'
            assert row in body, (slug, question)
        for text in absent:
            assert text not in body, (slug, text)
