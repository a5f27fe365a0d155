"""A partnership's money set up the way its coordinator would, through the services."""

import datetime
from decimal import Decimal

from django_scopes import scope, scopes_disabled

from finance.models import ContributionRequest, FinancialYear
from finance.services.contributions import contribution_requests_confirm
from finance.services.years import contribution_scheme_set, financial_year_open
from partnerships.calendar import financial_year_of
from partnerships.models import Constitution
from tests.factories.schools import CensusFactory


def funded_year(
    tenant,
    *,
    rate: str = "2.00",
    fte: tuple[str, ...] = ("204.5", "100.0"),
    admin_share_percent: str | None = None,
    admin_fixed_amount: str | None = None,
    confirm: bool = True,
    start_year: int | None = None,
    dated: datetime.date | None = None,
) -> tuple[FinancialYear, list[ContributionRequest]]:
    """This financial year open at £`rate` per FTE pupil, each of the tenant's schools with a January
    census, the first school the banker, and (if `confirm`) the requests confirmed."""
    start_year = start_year or financial_year_of(datetime.date.today())
    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant.partnership).update(banker_school=tenant.schools[0])
        for school, figure in zip(tenant.schools, fte, strict=False):
            CensusFactory(school=school, year=start_year, fte=Decimal(figure))
    with scope(partnership=tenant.partnership):
        year = financial_year_open(
            actor=tenant.coordinator,
            partnership=tenant.partnership,
            start_year=start_year,
            budget={"administration": Decimal("500.00"), "events": Decimal("300.00")},
        )
        contribution_scheme_set(
            actor=tenant.coordinator,
            year=year,
            basis="per_fte",
            rate=Decimal(rate),
            admin_share_percent=Decimal(admin_share_percent) if admin_share_percent else None,
            admin_fixed_amount=Decimal(admin_fixed_amount) if admin_fixed_amount else None,
        )
        requests = contribution_requests_confirm(actor=tenant.coordinator, year=year, dated=dated) if confirm else []
    return year, requests
