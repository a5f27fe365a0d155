"""The agreement's term is read through one selector; an agreement past its end says it needs renewal."""

import datetime

import pytest
from django_scopes import scopes_disabled

from partnerships.models import AgreementVersion, Partnership
from partnerships.selectors.agreements import agreement_on

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(
    ("starts", "ends", "day", "state"),
    [
        (D(2009, 4, 1), D(2011, 4, 30), D(2026, 11, 30), "expired"),
        (D(2009, 4, 1), D(2011, 4, 30), D(2011, 4, 30), "in_force"),  # the end date is its last day
        (D(2009, 4, 1), D(2011, 4, 30), D(2011, 5, 1), "expired"),
        (D(2009, 4, 1), None, D(2026, 11, 30), "in_force"),
        (D(2027, 4, 1), None, D(2026, 11, 30), "not_started"),
        (None, None, D(2026, 11, 30), "unknown"),
    ],
)
def test_the_agreement_on_a_day(starts, ends, day, state):
    with scopes_disabled():
        partnership = Partnership.objects.create(name="P", slug="p")
        if starts is not None:
            _published(partnership, 1, starts, ends)
        assert agreement_on(partnership, day).state == state
        assert agreement_on(partnership, day).needs_renewal is (state == "expired")


def _published(partnership, number, starts, ends, status="published"):
    return AgreementVersion.objects.create(
        partnership=partnership, number=number, starts=starts, ends=ends, status=status
    )


def test_the_version_that_covers_the_day_is_in_force_and_a_draft_never_is():
    with scopes_disabled():
        partnership = Partnership.objects.create(name="P", slug="p")
        first = _published(partnership, 1, D(2009, 4, 1), D(2011, 4, 30), status="superseded")
        second = _published(partnership, 2, D(2025, 9, 1), D(2028, 8, 31))
        _published(partnership, 3, D(2020, 1, 1), None, status="draft")
        assert agreement_on(partnership, D(2010, 1, 1)).version == first
        assert agreement_on(partnership, D(2026, 11, 30)).version == second
        # Between the two terms: the latest version has not started yet.
        assert agreement_on(partnership, D(2015, 1, 1)).state == "not_started"


def test_the_dashboard_says_an_expired_agreement_needs_renewal(tenant_a, client_for):
    with scopes_disabled():
        _published(tenant_a.partnership, 1, D(2009, 4, 1), D(2011, 4, 30))
    page = client_for(tenant_a.headteacher).get(f"/p/{tenant_a.partnership.slug}/").content.decode()
    assert "The partnership agreement expired on 30 April 2011. It needs to be renewed." in page
    assert "to 30 April 2011" not in page


def test_the_dashboard_gives_the_term_of_an_agreement_in_force(tenant_a, client_for):
    with scopes_disabled():
        _published(tenant_a.partnership, 1, D(2024, 9, 1), D(2099, 8, 31))
    page = client_for(tenant_a.headteacher).get(f"/p/{tenant_a.partnership.slug}/").content.decode()
    assert "Partnership agreement in force from 1 September 2024 to 31 August 2099." in page
    assert "needs to be renewed" not in page
