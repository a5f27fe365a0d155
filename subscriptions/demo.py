"""Demo subscriptions for EducationKingston; registered with load_demo by SubscriptionsConfig.ready().

The full subscription (£4,500 a year, 60 credits, an assigned partner, the termly governors' report)
and the seed's menu and tariff. Five of the eight schools subscribe this year; three do not. Since
September the subscribers have had advisers in (time recorded, some trued up), and have visits booked
ahead; Knollmead has nearly spent its credits. Past visits are written as they would have been booked
then (through the credit ledger, the one way credits move); visits ahead are booked through the
service. Loading twice changes nothing.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from partnerships.calendar import academic_year_of
from partnerships.models import RoleAssignment
from partnerships.roles import Role
from schools.models import School
from subscriptions.models import Booking, CreditEntry, PepPlan, Plan, Review, TariffItem
from subscriptions.selectors import tariff_credits
from subscriptions.services.bookings import booking_actuals_record, booking_create
from subscriptions.services.credits import credit_append
from subscriptions.services.pep import (
    pep_cpd_record,
    pep_outcome_add,
    pep_panel_member_add,
    pep_plan_create,
    pep_support_day_record,
)
from subscriptions.services.plans import plan_create, plan_forums_set, subscription_start
from subscriptions.services.visits import visit_agenda_agree, visit_notes_write, visit_record

K = TariffItem.Kind
ADVISER_ACTIVITIES = [
    "Bespoke training for staff or governors",
    "Support for governors with the headteacher's performance management",
    "Support for staff recruitment",
    "Support for middle leaders",
    "Observation of classroom teachers",
    "Support for classroom teachers",
    "Observation and assessment of early career teachers",
    "Support for early career teachers",
    "Data advice and training",
    "Pre-inspection support",
    "Post-inspection action planning and review",
    "Support with disciplinary and capability issues",
    "Support with bids and policy development",
    "Conducting a review the school asks for",
    "Taking part in a review",
]
NETWORKS = ["Theme network (EAL, more able, subjects)", "Phase and year group network", "Early career teacher training"]
SUBSCRIBERS = [990301, 990302, 990304, 990306, 990307]  # Knollmead (990306) has nearly spent its credits
H = Decimal

# (school, tariff item, days after 1 September, hours booked, report, hours it took, report written)
PAST = [
    (990301, "Support for middle leaders", 20, "3", True, "3", True),
    (990301, "Data advice and training", 45, "2", False, "2.5", False),
    (990302, "Observation of classroom teachers", 30, "4", True, "4", True),
    (990304, "Pre-inspection support", 35, "6", True, "6", True),
    (990306, "Conducting a review the school asks for", 14, "8", True, "8", True),
    (990306, "Bespoke training for staff or governors", 28, "6", True, "7", True),
    (990306, "Post-inspection action planning and review", 50, "8", True, "8", True),
    (990306, "Support for middle leaders", 63, "6", True, "6", True),
    (990306, "Support for classroom teachers", 70, "8", True, "8", True),
    (990306, "Data advice and training", 77, "7", True, "7", True),
    (990307, "Support for staff recruitment", 40, "3", False, "2", False),
]
# (school, tariff item, days from today, hours, report)
AHEAD = [
    (990301, "Observation and assessment of early career teachers", 9, "2", True),
    (990302, "Support for governors with the headteacher's performance management", 16, "3", True),
    (990304, "Post-inspection action planning and review", 23, "4", True),
    (990307, "Bespoke training for staff or governors", 30, "6", False),
]


def _pep_visits(partnership, pep, schools, roles, today) -> None:
    """Two of the PEP's visits as school improvement partner: one written up, one planned ahead with
    its agenda waiting for the headteacher."""
    heads = {a.school_id: a.user for a in roles if a.role == Role.HEADTEACHER}
    done = visit_record(
        actor=pep,
        partnership=partnership,
        school=schools[0],
        on=today - datetime.timedelta(days=20),
        agenda="Key stage 2 data against targets\nThe school's self-evaluation of writing",
        shared_with=[],
    )
    visit_agenda_agree(actor=heads[schools[0].pk], visit=done)
    visit_notes_write(
        actor=pep,
        visit=done,
        agenda=done.agenda,
        seen="The headteacher, the deputy and the English lead",
        evidence="Books from years 5 and 6; the tracking of pupils' progress; two lesson visits",
        judgements="Reading is strong; writing in upper key stage 2 is behind the school's targets",
        next_steps="Moderate writing with a partner school before the spring data collection",
        shared_with=[],
    )
    visit_record(
        actor=pep,
        partnership=partnership,
        school=schools[1],
        on=today + datetime.timedelta(days=12),
        agenda="Progress against the school development plan\nGovernors' challenge on attendance",
        shared_with=[],
    )


def load_pep(partnership, spec, admin):
    """Swale's PEP headteacher (the demo adviser, school improvement partner to all ten schools): this
    year's plan with two outcomes and their milestones, the CPD attended so far (the rest shows as
    missing), leadership support given, and the panel: the partnership manager, a board member and
    external advice. Its headteacher seat is empty: the PEP advises every Swale school, so every head
    there has a conflict of interest, which the panel page refuses."""
    if spec["slug"] != "swale-lcsp" or PepPlan.objects.filter(partnership=partnership).exists():
        return
    roles = RoleAssignment.objects.filter(partnership=partnership).select_related("user", "school")
    coordinator = next(a.user for a in roles if a.role == Role.COORDINATOR)
    chair = next(a.user for a in roles if a.role == Role.CHAIR)
    pep = next(a.user for a in roles if a.role == Role.ADVISER)
    year = academic_year_of(timezone.localdate())
    plan = pep_plan_create(actor=coordinator, partnership=partnership, pep=pep, year=year)
    start = datetime.date(year, 9, 1)

    def day(n: int) -> datetime.date:
        return start + datetime.timedelta(days=n)

    pep_outcome_add(
        actor=coordinator,
        plan=plan,
        text="Every school's KS2 results at or above the floor standard",
        milestones=[("Data review with every headteacher", day(60)), ("Targets agreed with each school", day(150))],
    )
    pep_outcome_add(
        actor=coordinator,
        plan=plan,
        text="Leading for Impact delivered to the targeted group of schools",
        milestones=[("Programme planned with the Local Learning Network", day(45))],
    )
    today = timezone.localdate()
    for kind, n, days in [
        ("advisory_induction", 5, "1"),
        ("pep_induction", 12, "2"),
        ("sip_cpd", 40, "1"),
        ("pep_cpd", 50, "0.5"),
    ]:
        if day(n) <= today:
            pep_cpd_record(actor=pep, plan=plan, kind=kind, on=day(n), days=H(days))
    schools = sorted({a.school for a in roles if a.school_id}, key=lambda school: school.name)
    for i, school in enumerate(schools[:4]):
        if day(30 + 14 * i) <= today:
            pep_support_day_record(actor=pep, plan=plan, school=school, on=day(30 + 14 * i), days=H("1.5"))
    _pep_visits(partnership, pep, schools, roles, today)
    meets = datetime.date(year + 1, 6, 15)
    pep_panel_member_add(actor=coordinator, plan=plan, seat="manager", user=coordinator, meets_on=meets)
    pep_panel_member_add(actor=coordinator, plan=plan, seat="board", user=chair, meets_on=meets)
    pep_panel_member_add(
        actor=coordinator, plan=plan, seat="external", name="Accredited school improvement professional", meets_on=meets
    )


def load(partnership, spec, admin):
    if spec["slug"] != "education-kingston" or Plan.objects.filter(partnership=partnership).exists():
        return
    coordinator = (
        RoleAssignment.objects.filter(partnership=partnership, role=Role.COORDINATOR)
        .select_related("user")
        .first()
        .user
    )
    plan = plan_create(
        actor=coordinator,
        partnership=partnership,
        name="Full subscription",
        yearly_price=H("4500.00"),
        credits_per_year=H("60"),
        includes_ect_support=True,
    )
    plan_forums_set(actor=coordinator, plan=plan, forums=FORUMS)
    items = {
        name: TariffItem(partnership=partnership, name=name, kind=K.ADVISER_ACTIVITY) for name in ADVISER_ACTIVITIES
    }
    items |= {name: TariffItem(partnership=partnership, name=name, kind=K.NETWORK_EVENT) for name in NETWORKS}
    items["Open events and conferences"] = TariffItem(
        partnership=partnership,
        name="Open events and conferences",
        kind=K.OPEN_EVENT,
        member_price=H("95.00"),
        non_member_price=H("140.00"),
    )
    TariffItem.objects.bulk_create(items.values())
    today = timezone.localdate()
    year = academic_year_of(today)
    schools = {school.urn: school for school in School.objects.filter(urn__in=SUBSCRIBERS)}
    subscriptions = {
        urn: subscription_start(actor=coordinator, partnership=partnership, school=school, plan=plan, year=year)
        for urn, school in schools.items()
    }
    heads = {
        a.school.urn: a.user
        for a in RoleAssignment.objects.filter(partnership=partnership, role=Role.HEADTEACHER).select_related(
            "user", "school"
        )
    }
    adviser = RoleAssignment.objects.filter(partnership=partnership, role=Role.ADVISER).select_related("user").first()
    start = datetime.date(year, 9, 1)
    for urn, name, days, hours, report, took, written in PAST:
        on = start + datetime.timedelta(days=days)
        if on > today:
            continue
        item = items[name]
        cost = tariff_credits(item, hours=H(hours), report=report)
        booking = Booking.objects.create(
            subscription=subscriptions[urn],
            item=item,
            on=on,
            hours=H(hours),
            report=report,
            credits=cost,
            booked_by=heads[urn],
        )
        credit_append(
            subscription=subscriptions[urn],
            kind=CreditEntry.Kind.BOOKING,
            amount=-cost,
            description=f"{name}, {on:%-d %B %Y}: {hours} hours{' and a report' if report else ''}",
            booking=booking,
            recorded_by=heads[urn],
        )
        booking_actuals_record(
            actor=adviser.user if adviser else coordinator,
            booking=booking,
            actual_hours=H(took),
            report_written=written,
        )
    for urn, name, days, hours, report in AHEAD:
        on = today + datetime.timedelta(days=days)
        if academic_year_of(on) != year:
            continue
        booking_create(
            actor=heads[urn], subscription=subscriptions[urn], item=items[name], on=on, hours=H(hours), report=report
        )
    events_load(partnership, coordinator, heads, year)
    visits_and_reviews(partnership, coordinator)
    booker_named(partnership, coordinator, heads)


def booker_named(partnership, coordinator, heads) -> None:
    """The first subscriber's headteacher names its business manager (a deputy's role for the school)
    to book adviser time and event places for the school, from the start of this term."""
    from allauth.account.models import EmailAddress

    from partnerships.demo.seeds import demo_user, roles_from
    from partnerships.services.roles import role_start
    from subscriptions.services.delegations import delegation_grant

    urn = SUBSCRIBERS[0]
    school = School.objects.get(urn=urn)
    email = f"business.{urn}@schools.example"
    manager = demo_user(email, "Bola Adeyemi")
    EmailAddress.objects.update_or_create(user=manager, email=email, defaults={"verified": True, "primary": True})
    if not RoleAssignment.objects.filter(partnership=partnership, user=manager, school=school).active().exists():
        role_start(
            actor=coordinator,
            user=manager,
            partnership=partnership,
            role=Role.DEPUTY,
            school=school,
            start=roles_from(),
        )
    delegation_grant(
        actor=heads[urn],
        partnership=partnership,
        school=school,
        delegate=manager,
        start=timezone.localdate() - datetime.timedelta(days=7),
    )


# The full subscription's places per school at named forums (the EducationKingston proposal).
FORUMS = [("School improvement forum", 2), ("Secondary leadership forum", 2)]

# (title, tariff item, days from today, whole day, places, the plan's forum it is, venue)
EVENTS = [
    (
        "School improvement forum",
        "Phase and year group network",
        14,
        True,
        30,
        "School improvement forum",
        "Kingston Guildhall",
    ),
    ("EAL network morning", "Theme network (EAL, more able, subjects)", 21, False, 2, "", "Latchmere House"),
    ("Annual conference: curriculum for all", "Open events and conferences", 40, True, 120, "", "Kingston University"),
]
# (event, school or organisation, places, who is coming, one a line); an organisation is not a school of the
# partnership
PLACES = [
    (0, 990301, 2, "Priya Shah\nTom Reed"),
    (0, 990302, 1, "Helen Clarke"),
    (1, 990304, 1, "Amara Okafor"),
    (1, 990307, 1, ""),
    (1, 990306, 1, ""),  # the morning is full: Knollmead waits
    (2, 990301, 3, ""),
    (2, 990305, 2, "Daniel Hughes"),
    (2, "Richmond Teaching School Hub", 2, ""),
]


def events_load(partnership, coordinator, heads, year):
    """A whole-day network (the forum, 2 places a school by the plan), a half-day network that is full with a school
    waiting, and an open conference with a non-member organisation at the premium price."""
    from partnerships.selectors.terms import school_day_on_or_after
    from subscriptions.services.events import event_create
    from subscriptions.services.places import places_book

    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    events = []
    for title, item, days, whole_day, capacity, forum, venue in EVENTS:
        day = school_day_on_or_after(partnership, today + datetime.timedelta(days=days))
        events.append(
            event_create(
                actor=coordinator,
                partnership=partnership,
                title=title,
                item=TariffItem.objects.get(partnership=partnership, name=item),
                starts=datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=zone),
                whole_day=whole_day,
                capacity=capacity,
                forum=forum,
                venue=venue,
            )
        )
    schools = {
        school.urn: school for school in School.objects.filter(urn__in=[p[1] for p in PLACES if isinstance(p[1], int)])
    }
    for index, who, places, attendees in PLACES:
        event = events[index]
        if event.for_credits and academic_year_of(event.day) != year:
            continue  # next year's subscriptions are not there yet
        school = schools.get(who)
        places_book(
            actor=heads.get(who, coordinator) if school else coordinator,
            event=event,
            school=school,
            organisation="" if school else who,
            places=places,
            attendees=attendees,
            waiting=True,
        )


# --- Notes of visit and Joint Annual Reviews: the EKP's schools ----------------------------------------

# (school index among the adviser's schools, days from today, agenda agreed, note: seen, evidence,
# judgements, next steps, roles named besides the headteacher)
VISITS = [
    (
        0,
        -40,
        True,
        (
            "The headteacher, the English lead and Year 2 pupils",
            "Phonics screening results; a book look in Year 1 and Year 2; a learning walk",
            "Phonics teaching is consistent and well paced; Year 2 writing is below the school's target",
            "Moderate Year 2 writing with Burlington Junior before February half term",
        ),
        ["chair_of_governors"],
    ),
    (
        1,
        -12,
        True,
        (
            "The headteacher and the maths lead",
            "Key stage 2 results against targets; the maths action plan",
            "Arithmetic is strong; reasoning lags behind the local figures",
            "A reasoning focus in the spring term; review in March",
        ),
        [],
    ),
    (0, 14, False, None, []),
]
REVIEW_TEXT = {
    "autumn": (
        "Achievement: attainment rose in reading and maths; writing remains below the school's target.",
        "Reading 82% expected standard (target 80%; previous 78%; Kingston 79%; national 75%)",
        "Reading 76%, writing 68%, maths 74% (targets 75/72/75; previous 71/66/70; Kingston 77/74/76; "
        "national 74/72/73)",
    ),
    "spring": ("Provision: the curriculum review is under way; the quality of teaching in Year 4 is strong.", "", ""),
    "summer": ("Leadership: middle leaders now monitor their subjects; governors challenge well.", "", ""),
}


def visits_and_reviews(partnership, coordinator) -> None:
    """The EKP (adviser@education-kingston.example) and their schools: notes of visit (one whose agenda
    awaits the headteacher) and Joint Annual Reviews in each state, moved through the services."""
    from subscriptions.services.reviews import review_confirm, review_draft, review_return, review_send, review_submit
    from subscriptions.services.visits import visit_agenda_agree, visit_notes_write, visit_read, visit_record

    roles = list(
        RoleAssignment.objects.filter(
            partnership=partnership, role=Role.ADVISER, user__email="adviser@education-kingston.example"
        )
        .active()
        .select_related("user", "school")
        .order_by("school__name")
    )
    if not roles:
        return
    adviser = roles[0].user
    schools = [r.school for r in roles]
    heads = {
        r.school_id: r.user
        for r in RoleAssignment.objects.filter(partnership=partnership, role=Role.HEADTEACHER, school__in=schools)
        .active()
        .select_related("user")
    }
    today = timezone.localdate()
    for index, days, agreed, note, shared in VISITS:
        school = schools[index % len(schools)]
        visit = visit_record(
            actor=adviser,
            partnership=partnership,
            school=school,
            on=today + datetime.timedelta(days=days),
            agenda="Progress against last term's next steps\nWriting in key stage 1\nThe school's own evaluation",
            shared_with=shared,
        )
        if agreed:
            visit_agenda_agree(actor=heads[school.pk], visit=visit)
        if note:
            seen, evidence, judgements, next_steps = note
            visit_notes_write(
                actor=adviser,
                visit=visit,
                agenda=visit.agenda,
                seen=seen,
                evidence=evidence,
                judgements=judgements,
                next_steps=next_steps,
                shared_with=shared,
            )
            visit_read(actor=heads[school.pk], visit=visit)
    year = academic_year_of(today)
    S = Review.State
    # (school index, academic year, term, the state it reaches)
    plan = [
        (0, year - 1, "summer", S.SUBMITTED),
        (0, year, "autumn", S.SENT),
        (1, year - 1, "summer", S.SUBMITTED),
        (1, year, "autumn", S.CONFIRMED),
        (2, year, "autumn", S.RETURNED),
        (1, year, "spring", S.DRAFT),
    ]
    for index, on_year, term, state in plan:
        if index >= len(schools):
            continue
        school = schools[index]
        head = heads[school.pk]
        summary, ks1, ks2 = REVIEW_TEXT[term]
        review = review_draft(
            actor=adviser,
            partnership=partnership,
            school=school,
            year=on_year,
            term=term,
            summary=summary,
            ks1=ks1,
            ks2=ks2,
        )
        if state == S.DRAFT:
            continue
        review_send(actor=adviser, review=review)
        if state == S.RETURNED:
            review_return(actor=head, review=review, comments="Please add the writing figures against last year's.")
            continue
        if state == S.SENT:
            continue
        if state == S.SUBMITTED:  # returned once, revised and sent again, before it was confirmed
            review_return(actor=head, review=review, comments="Say more about the governors' challenge.")
            review_send(actor=adviser, review=review)
        review_confirm(actor=head, review=review)
        if state == S.SUBMITTED:
            review_submit(actor=adviser, review=review)
