"""A year of a large partnership's business, for the benchmarks: what its dashboards summarise and its
governors' reports gather. Not imported by the app.

`add_year_of_business` gives a partnership whose member schools and coordinator already exist:

- every term of last academic year and this one so far: partnership meetings (two a term by default,
  only those already held), each with every current member's attendance (mostly present, some
  apologies, substitutes and absences), one agenda item with a minuted decision, and the minutes circulated;
- this financial year opened with a per-FTE contribution scheme, every member asked (a January
  census each) and about half of them paid, through the finance services;
- a subscription plan, every member subscribed for this academic year, and about a third of them
  with credits used, through the subscription services.

Meetings, attendance and decisions are bulk-created (the services would send notices to thousands);
money and credits go through the services, so the ledgers and balances are the app's own.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

ATTENDANCE_WEIGHTS = (("present", 70), ("apologies", 15), ("substitute", 10), ("absent", 5))


def _statuses(rng: random.Random, count: int) -> list[str]:
    names = [name for name, _ in ATTENDANCE_WEIGHTS]
    weights = [weight for _, weight in ATTENDANCE_WEIGHTS]
    return rng.choices(names, weights=weights, k=count)


def add_year_of_business(partnership, coordinator, *, seed: int = 1, meetings_per_term: int = 2) -> dict[str, int]:
    """Fill the partnership's last and current academic year (see the module's docstring). Returns
    counts for the benchmark's data-size block."""
    from django.db import transaction
    from django.utils import timezone
    from django_scopes import scope, scopes_disabled

    from finance.models import ContributionRequest
    from finance.services.contributions import contribution_requests_confirm, payment_record
    from finance.services.years import contribution_scheme_set, financial_year_open
    from meetings.models import AgendaItem, Attendance, Decision, Meeting, Minutes
    from partnerships.calendar import academic_year_of, financial_year_of
    from partnerships.models import Constitution, Membership
    from partnerships.selectors.terms import terms_for_years
    from partnerships.services.terms import terms_ensure
    from schools.models import Census, School
    from subscriptions.models import CreditEntry
    from subscriptions.services.credits import credit_append
    from subscriptions.services.plans import plan_create, subscription_start

    rng = random.Random(seed)
    today = timezone.localdate()
    year = academic_year_of(today)
    zone = timezone.get_current_timezone()

    with scopes_disabled():
        terms_ensure(partnership, year - 1)
        terms_ensure(partnership, year)
        members = [
            m.school for m in Membership.objects.filter(partnership=partnership).current().select_related("school")
        ]
        members.sort(key=lambda school: school.pk)

        # Meetings already held, spread through each term.
        meetings = []
        for term in terms_for_years(partnership, year - 1, year):
            length = (term.ends - term.starts).days
            for k in range(1, meetings_per_term + 1):
                day = term.starts + datetime.timedelta(days=length * k // (meetings_per_term + 1))
                if day >= today:
                    continue
                starts = datetime.datetime(day.year, day.month, day.day, 16, tzinfo=zone)
                meetings.append(
                    Meeting(
                        partnership=partnership,
                        kind=Meeting.Kind.PARTNERSHIP,
                        title=f"Partnership meeting ({term.name} {k})",
                        starts=starts,
                        ends=starts + datetime.timedelta(hours=2),
                        venue_address="The Hall, 1 School Lane",
                        chair=coordinator,
                        organiser=coordinator,
                        agenda_status=Meeting.AgendaStatus.PUBLISHED,
                    )
                )
        Meeting.objects.bulk_create(meetings)
        meetings = list(Meeting.objects.filter(partnership=partnership).order_by("starts"))
        Minutes.objects.bulk_create(
            Minutes(
                meeting=m,
                status=Minutes.Status.CIRCULATED,
                circulated_at=m.ends,
                circulated_by=coordinator,
            )
            for m in meetings
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=m, position=1, title="Development priorities", decision_needed=True) for m in meetings
        )
        items = AgendaItem.objects.filter(meeting__in=meetings)
        Decision.objects.bulk_create(
            Decision(item=item, text="The priorities were agreed.", votes_for=len(members), recorded_by=coordinator)
            for item in items
        )
        attendance = []
        for meeting in meetings:
            for school, status in zip(members, _statuses(rng, len(members)), strict=True):
                attendance.append(
                    Attendance(
                        meeting=meeting, school=school, status=status, recorded_by=coordinator, recorded_at=meeting.ends
                    )
                )
        Attendance.objects.bulk_create(attendance, batch_size=1000)

        # This financial year's contributions: every member asked, about half paid.
        start_year = financial_year_of(today)
        Census.objects.bulk_create(
            Census(
                school=school,
                year=start_year,
                headcount=rng.randint(90, 1400),
                fte=Decimal(rng.randint(900, 14000)) / 10,
            )
            for school in School.objects.filter(
                memberships__partnership=partnership
            ).distinct()  # leavers are asked too
        )
        Constitution.objects.filter(partnership=partnership).update(banker_school=members[0])

    with scope(partnership=partnership), transaction.atomic():
        financial = financial_year_open(
            actor=coordinator,
            partnership=partnership,
            start_year=start_year,
            budget={"administration": Decimal("5000.00"), "events": Decimal("3000.00")},
        )
        contribution_scheme_set(actor=coordinator, year=financial, basis="per_fte", rate=Decimal("2.00"))
        contribution_requests_confirm(actor=coordinator, year=financial)
        requests = list(ContributionRequest.objects.filter(year=financial).order_by("pk"))
        paid = 0
        for request in requests:
            if rng.random() < 0.5:
                payment_record(
                    actor=coordinator,
                    request=request,
                    amount=request.amount,
                    received_on=today,
                    method="bank_transfer",
                    reference=f"BACS {request.pk}",
                )
                paid += 1

        # This academic year's subscriptions, about a third with credits used.
        plan = plan_create(
            actor=coordinator,
            partnership=partnership,
            name="Full subscription",
            yearly_price=Decimal("4500.00"),
            credits_per_year=Decimal("60"),
            carry_over=False,
        )
        used = 0
        for school in members:
            subscription = subscription_start(
                actor=coordinator, partnership=partnership, school=school, plan=plan, year=year
            )
            if rng.random() < 0.33:
                credit_append(
                    subscription=subscription,
                    kind=CreditEntry.Kind.ADJUSTMENT,
                    amount=-Decimal(rng.randint(1, 20)),
                    description="Adviser's support",
                    recorded_by=coordinator,
                )
                used += 1

    return {
        "meetings held (this year and last)": len(meetings),
        "attendance rows": len(attendance),
        "contribution requests": len(requests),
        "contributions paid": paid,
        "subscriptions": len(members),
        "subscriptions with credits used": used,
    }
