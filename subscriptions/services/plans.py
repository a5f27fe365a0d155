"""Plans and each school's subscription for a year, which grants the year's credits."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from partnerships.calendar import academic_year_label
from partnerships.models import Membership, Partnership
from schools.models import School
from subscriptions.models import CreditEntry, Plan, PlanForum, Subscription
from subscriptions.selectors import credit_balance
from subscriptions.services.credits import credit_append

MAX_PRICE = Decimal("1000000")
MAX_CREDITS = Decimal("10000")
MAX_FORUM_PLACES = 100


@transaction.atomic
def plan_create(
    *,
    actor: User,
    partnership: Partnership,
    name: str,
    yearly_price: Decimal,
    credits_per_year: Decimal,
    carry_over: bool = False,
    includes_partner: bool = True,
    includes_governors_report: bool = True,
    includes_ect_support: bool = False,
    cancel_days: int = 7,
) -> Plan:
    errors = {}
    if not name.strip():
        errors["name"] = "Enter the plan's name"
    elif Plan.objects.filter(partnership=partnership, name__iexact=name.strip()).exists():
        errors["name"] = f"There is already a plan called {name.strip()}"
    if yearly_price is None or yearly_price < 0 or yearly_price >= MAX_PRICE or yearly_price.as_tuple().exponent < -2:
        errors["yearly_price"] = "Enter the price a year in pounds and pence, like 4500.00"
    if credits_per_year is None or credits_per_year < 0 or credits_per_year > MAX_CREDITS or (credits_per_year * 2) % 1:
        errors["credits_per_year"] = "Enter the credits a year as a whole or half number, like 60"
    if errors:
        raise ValidationError(errors)
    plan = Plan.objects.create(
        partnership=partnership,
        name=name.strip(),
        yearly_price=yearly_price,
        credits_per_year=credits_per_year,
        carry_over=carry_over,
        includes_partner=includes_partner,
        includes_governors_report=includes_governors_report,
        includes_ect_support=includes_ect_support,
        cancel_days=cancel_days,
    )
    if not partnership.offers_subscriptions:
        Partnership.objects.filter(pk=partnership.pk).update(offers_subscriptions=True)
        partnership.offers_subscriptions = True
    audit_record(
        subject=plan,
        actor=actor,
        partnership=partnership,
        action=AuditAction.PLAN_CREATED,
        summary=f"Plan {plan.name} set up: £{plan.yearly_price} a year, {plan.credits_per_year} credits",
        data={"plan": plan.pk},
    )
    return plan


@transaction.atomic
def plan_forums_set(*, actor: User, plan: Plan, forums: list[tuple[str, int | None]]) -> Plan:
    """The forums the plan gives places at, and how many places per school at each (the plan's whole
    list: a forum left out is no longer included). `forums` is (name, places) in the form's rows, from 1;
    an error names its row's field, forum_N or places_N."""
    errors, seen, rows = {}, set(), []
    for n, (name, places) in enumerate(forums, start=1):
        name = (name or "").strip()
        if not name and places is None:
            continue
        if not name:
            errors[f"forum_{n}"] = f"Enter the name of forum {n}"
        elif name.casefold() in seen:
            errors[f"forum_{n}"] = f"{name} is already in the list: name each forum once"
        if places is None or places < 1 or places > MAX_FORUM_PLACES:
            errors[f"places_{n}"] = f"Enter the places per school at forum {n} as 1 to {MAX_FORUM_PLACES}"
        seen.add(name.casefold())
        rows.append((name, places))
    if errors:
        raise ValidationError(errors)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    PlanForum.objects.filter(plan=plan).delete()
    PlanForum.objects.bulk_create(PlanForum(plan=plan, name=name, places_per_school=places) for name, places in rows)
    listed = "; ".join(f"{name}, {places} a school" for name, places in rows) or "none"
    audit_record(
        subject=plan,
        actor=actor,
        partnership=plan.partnership,
        action=AuditAction.PLAN_FORUMS_SET,
        summary=f"Places at forums in plan {plan.name}: {listed}",
        data={"plan": plan.pk, "forums": [[name, places] for name, places in rows]},
    )
    return plan


@transaction.atomic
def subscription_start(*, actor: User, partnership: Partnership, school: School, plan: Plan, year: int) -> Subscription:
    """A school subscribes for an academic year: the plan's credits are granted by the ledger's first
    entry, and where the plan carries credits over, last year's balance moves into this year."""
    label = academic_year_label(year)
    if plan.partnership_id != partnership.pk:
        raise ValidationError({"plan": "Choose one of the partnership's plans"})
    if (
        not Membership.objects.filter(partnership=partnership, school=school)
        .current(datetime.date(year, 9, 1))
        .exists()
    ):
        raise ValidationError({"school": f"{school.name} is not a member school on 1 September {year}"})
    if Subscription.objects.filter(partnership=partnership, school=school, year=year).exists():
        raise ValidationError({"school": f"{school.name} already subscribes for {label}"})
    subscription = Subscription.objects.create(
        partnership=partnership, school=school, plan=plan, year=year, started_by=actor
    )
    credit_append(
        subscription=subscription,
        kind=CreditEntry.Kind.GRANT,
        amount=plan.credits_per_year,
        description=f"{plan.name}: credits for {label}",
        recorded_by=actor,
    )
    previous = Subscription.objects.filter(partnership=partnership, school=school, year=year - 1).first()
    carried = credit_balance(previous) if previous and plan.carry_over else Decimal("0")
    if carried > 0:
        credit_append(
            subscription=previous,
            kind=CreditEntry.Kind.LAPSE,
            amount=-carried,
            description=f"Carried over to {label}",
            recorded_by=actor,
        )
        credit_append(
            subscription=subscription,
            kind=CreditEntry.Kind.CARRIED,
            amount=carried,
            description=f"Carried over from {academic_year_label(year - 1)}",
            recorded_by=actor,
        )
    audit_record(
        subject=subscription,
        actor=actor,
        partnership=partnership,
        action=AuditAction.SUBSCRIPTION_STARTED,
        summary=f"{school.name} subscribes to {plan.name} for {label}",
        data={"subscription": subscription.pk, "school": school.pk, "carried": str(carried)},
    )
    return subscription


def credits_lapse(*, subscription: Subscription, today: datetime.date) -> CreditEntry | None:
    """At the end of its academic year, a subscription's unspent credits lapse unless its plan carries
    them over (they then move when the school subscribes again). Idempotent: once lapsed, the balance is
    nothing and there is nothing more to do. The system acts: the entry is the record."""
    if subscription.plan.carry_over or today <= datetime.date(subscription.year + 1, 8, 31):
        return None
    with transaction.atomic():
        left = credit_balance(subscription)
        if left <= 0:
            return None
        return credit_append(
            subscription=subscription,
            kind=CreditEntry.Kind.LAPSE,
            amount=-left,
            description=f"Unspent at the end of {academic_year_label(subscription.year)}",
        )
