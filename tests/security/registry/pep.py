"""The Kent PEP headteacher's pages (subscriptions/urls.py, pep_*). A plan is the PEP's own and the
coordinator's: the matrix's roles are not the PEP, so only the coordinator reaches a plan."""

import datetime
from decimal import Decimal

from partnerships.roles import Role
from subscriptions.models import CpdRecord, PanelMember, PepMilestone, PepOutcome, PepPlan, SupportDay

_ALL = set(Role)
_COORDINATOR = {Role.COORDINATOR}


def _plan(tenant) -> PepPlan:
    """A plan with a row of every PEP model, made directly."""
    plan, made = PepPlan.objects.get_or_create(partnership=tenant.partnership, pep=tenant.coordinator, year=2026)
    if made:
        outcome = PepOutcome.objects.create(plan=plan, text="Every school at least good")
        PepMilestone.objects.create(outcome=outcome, text="Reviews held", due=datetime.date(2026, 12, 1))
        CpdRecord.objects.create(
            plan=plan, kind="sip_cpd", on=datetime.date(2026, 10, 5), days=Decimal("1"), recorded_by=tenant.coordinator
        )
        SupportDay.objects.create(
            plan=plan, school=tenant.schools[0], on=datetime.date(2026, 10, 6), recorded_by=tenant.coordinator
        )
        PanelMember.objects.create(
            plan=plan,
            seat="manager",
            user=tenant.coordinator,
            meets_on=datetime.date(2027, 6, 10),
            added_by=tenant.coordinator,
        )
    return plan


OBJECT_KWARGS = {
    "plan_pk": lambda tenant: _plan(tenant).pk,
    "pep_milestone_pk": lambda tenant: PepMilestone.objects.filter(outcome__plan=_plan(tenant)).first().pk,
}

ALLOWED = {
    "subscriptions:pep_plans": _ALL,
    "subscriptions:pep_plans_export": _ALL,  # each their own plans; every plan to the coordinator
    "subscriptions:pep_new": _COORDINATOR,
    "subscriptions:pep_plan": _COORDINATOR,
    "subscriptions:pep_cpd": _COORDINATOR,
    "subscriptions:pep_support": _COORDINATOR,
    "subscriptions:pep_panel": _COORDINATOR,
    "subscriptions:pep_outcome": _COORDINATOR,
    "subscriptions:pep_review": _COORDINATOR,
    "subscriptions:pep_milestone": _COORDINATOR,
}

# A PEP's plan is theirs and the partnership manager's: to everyone else it does not exist (the panel
# page asks the coordinator's permission first: 403).
NOT_FOUND = {
    name: _ALL - _COORDINATOR
    for name in (
        "subscriptions:pep_plan",
        "subscriptions:pep_cpd",
        "subscriptions:pep_support",
    )
}
