"""The subscription pages (subscriptions/urls.py). The matrix's school roles are held for
tenant.schools[1], whose subscription and booking these makers return."""

from decimal import Decimal

from django.utils import timezone

from partnerships.calendar import academic_year_of
from partnerships.roles import SCHOOL_ROLES, Role
from subscriptions.models import Booking, BookingDelegation, CreditEntry, Plan, PlanForum, Subscription, TariffItem

_ALL = set(Role)
_COORDINATOR = {Role.COORDINATOR}
_SCHOOLS_OWN = _COORDINATOR | set(SCHOOL_ROLES)  # a school's credits are its own people's and the coordinator's
_BOOKERS = _COORDINATOR | {Role.HEADTEACHER}  # and a colleague the headteacher names (BookingDelegation)
_HEAD = {Role.HEADTEACHER}  # names who books for the school
_RECORDERS = _COORDINATOR | {Role.ADVISER}  # the school's adviser records the time


def _subscription(tenant) -> Subscription:
    """Made directly, not through the service: tenant.schools[1] has left (see constitution.py's notice),
    and the matrix needs its rows whatever the rules of subscribing say."""
    existing = Subscription.objects.filter(partnership=tenant.partnership, school=tenant.schools[1]).first()
    if existing:
        return existing
    plan, _ = Plan.objects.get_or_create(
        partnership=tenant.partnership,
        name="Matrix plan",
        defaults={"yearly_price": Decimal("4500.00"), "credits_per_year": Decimal("60")},
    )
    subscription = Subscription.objects.create(
        partnership=tenant.partnership,
        school=tenant.schools[1],
        plan=plan,
        year=academic_year_of(timezone.localdate()),
    )
    CreditEntry.objects.create(
        subscription=subscription, sequence=1, kind="grant", amount=60, balance_after=60, description="Credits"
    )
    return subscription


def _booking(tenant) -> Booking:
    subscription = _subscription(tenant)
    existing = Booking.objects.filter(subscription=subscription).first()
    item, _ = TariffItem.objects.get_or_create(
        partnership=tenant.partnership, name="Matrix visit", defaults={"kind": TariffItem.Kind.ADVISER_ACTIVITY}
    )
    return existing or Booking.objects.create(
        subscription=subscription,
        item=item,
        on=timezone.localdate(),
        hours=Decimal("2"),
        credits=Decimal("2"),
        booked_by=tenant.coordinator,
    )


def _item(tenant) -> TariffItem:
    item, _ = TariffItem.objects.get_or_create(
        partnership=tenant.partnership, name="Matrix visit", defaults={"kind": TariffItem.Kind.ADVISER_ACTIVITY}
    )
    return item


def _forum(tenant) -> PlanForum:
    forum, _ = PlanForum.objects.get_or_create(
        plan=_subscription(tenant).plan, name="Matrix forum", defaults={"places_per_school": 2}
    )
    return forum


def _delegation(tenant) -> BookingDelegation:
    existing = BookingDelegation.objects.filter(partnership=tenant.partnership, school=tenant.schools[1]).first()
    return existing or BookingDelegation.objects.create(
        partnership=tenant.partnership,
        school=tenant.schools[1],
        delegate=tenant.coordinator,
        given_by=tenant.headteacher,
        start=timezone.localdate(),
    )


OBJECT_KWARGS = {
    "delegation_pk": lambda tenant: _delegation(tenant).pk,
    "tariff_item_pk": lambda tenant: _item(tenant).pk,
    "subscription_pk": lambda tenant: _subscription(tenant).pk,
    "booking_pk": lambda tenant: _booking(tenant).pk,
    "subscription_plan_pk": lambda tenant: _forum(tenant).plan_id,
}

ALLOWED = {
    "subscriptions:index": _ALL,
    "subscriptions:index_export": _ALL,
    "subscriptions:tariff": _ALL,
    "subscriptions:tariff_export": _ALL,
    "subscriptions:plan_new": _COORDINATOR,
    "subscriptions:plan_forums": _COORDINATOR,
    "subscriptions:tariff_new": _COORDINATOR,
    "subscriptions:tariff_item": _COORDINATOR,
    "subscriptions:subscribe": _COORDINATOR,
    "subscriptions:statement": _SCHOOLS_OWN,
    "subscriptions:statement_pdf": _SCHOOLS_OWN,
    "subscriptions:statement_export": _SCHOOLS_OWN,
    "subscriptions:book": _BOOKERS,
    "subscriptions:cancel": _BOOKERS,
    "subscriptions:actuals": _RECORDERS,
    "subscriptions:bookers": _HEAD,
    "subscriptions:bookers_export": _HEAD,
    "subscriptions:booker_withdraw": _HEAD,
}

# Roles with nothing to do with the school: its credits do not exist for them.
NOT_FOUND = {
    name: _ALL - _SCHOOLS_OWN
    for name in (
        "statement",
        "statement_pdf",
        "statement_export",
        "book",
        "cancel",
        "actuals",
        "bookers",
        "bookers_export",
        "booker_withdraw",
    )
}
NOT_FOUND = {f"subscriptions:{name}": roles for name, roles in NOT_FOUND.items()}
