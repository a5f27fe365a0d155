"""Offices, elections and the strategy group rota (partnerships/urls_governance.py)."""

from partnerships.models import RotaSeat, StrategyRota
from partnerships.roles import Role
from partnerships.selectors.governance import term_on_or_after

R = Role
_VIEWERS = set(Role) - {R.LA_OBSERVER}  # view_governance
_MANAGERS = {R.COORDINATOR}  # manage_governance


def _rota(tenant) -> StrategyRota:
    """A draft rota for the current term in the tenant's partnership (found again on later calls)."""
    import datetime

    term = term_on_or_after(tenant.partnership, datetime.date.today())
    rota, _ = StrategyRota.objects.get_or_create(partnership=tenant.partnership, term=term)
    return rota


def _seat(tenant) -> RotaSeat:
    seat, _ = RotaSeat.objects.get_or_create(
        rota=_rota(tenant),
        seat=1,
        defaults={"representative": tenant.schools[0], "reserve": tenant.schools[1]},
    )
    return seat


OBJECT_KWARGS = {
    "rota_pk": lambda tenant: _rota(tenant).pk,
    "rota_seat_pk": lambda tenant: _seat(tenant).pk,
}

ALLOWED = {
    "governance:index": _VIEWERS,
    "governance:offices": _VIEWERS,
    "governance:elections_export": _VIEWERS,
    "governance:election_record": _MANAGERS,
    "governance:strategy": _VIEWERS,
    "governance:rota_create": _MANAGERS,
    "governance:rota_build": _MANAGERS,
    "governance:seat_edit": _MANAGERS,
    "governance:rota_confirm": _MANAGERS,
}
