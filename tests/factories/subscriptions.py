"""EducationKingston's subscription, as data: the full subscription plan with 60 credits, and the tariff's
kinds of line (an adviser's activity, a network event, an open event)."""

from __future__ import annotations

from decimal import Decimal

from django_scopes import scopes_disabled

from subscriptions.models import Subscription, TariffItem
from subscriptions.services.plans import plan_create, subscription_start

K = TariffItem.Kind


def tariff(partnership) -> dict[str, TariffItem]:
    with scopes_disabled():
        return {
            "visit": TariffItem.objects.create(
                partnership=partnership, name="Support for middle leaders", kind=K.ADVISER_ACTIVITY
            ),
            "network": TariffItem.objects.create(partnership=partnership, name="EAL network", kind=K.NETWORK_EVENT),
            "conference": TariffItem.objects.create(
                partnership=partnership,
                name="Annual conference",
                kind=K.OPEN_EVENT,
                member_price=Decimal("95.00"),
                non_member_price=Decimal("140.00"),
            ),
        }


def subscribed(tenant, *, year: int = 2026, credits: str = "60", school=None, carry_over: bool = False, plan=None):
    """The tenant's first school (or `school`) on the full subscription for `year`."""
    with scopes_disabled():
        plan = plan or plan_create(
            actor=tenant.coordinator,
            partnership=tenant.partnership,
            name=f"Full subscription {credits}",
            yearly_price=Decimal("4500.00"),
            credits_per_year=Decimal(credits),
            carry_over=carry_over,
        )
        return subscription_start(
            actor=tenant.coordinator,
            partnership=tenant.partnership,
            school=school or tenant.schools[0],
            plan=plan,
            year=year,
        )


def balance(subscription: Subscription) -> Decimal:
    from subscriptions.selectors import credit_balance

    with scopes_disabled():
        return credit_balance(subscription)
