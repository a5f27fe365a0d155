"""The census figures' rules live in schools.validators; the census form, the census record service
and the census CSV import each refuse the same bad values with the same message."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from partnerships.services.members import census_import, census_record
from schools import validators
from schools.models import Census

pytestmark = pytest.mark.django_db

# (headcount, fte, the field at fault, the one message)
BAD = [
    (-1, "0", "headcount", "The headcount must be 0 or more"),
    (10001, "10", "headcount", "The headcount must be 10,000 or fewer"),
    (20, "-1", "fte", "The full-time equivalent must be 0 or more"),
    (20, "21", "fte", "The full-time equivalent cannot be more than the headcount (20)"),
    (20, "19.25", "fte", "The full-time equivalent has at most one decimal place"),
    (20, "20000", "fte", "The full-time equivalent must be 10,000 or fewer"),
]


def _census_count():
    with scopes_disabled():
        return Census.objects.count()


@pytest.mark.parametrize(("headcount", "fte", "field", "message"), BAD)
def test_the_validator(headcount, fte, field, message):
    assert validators.census_problems(headcount=headcount, fte=Decimal(fte)) == {field: message}


@pytest.mark.parametrize(("headcount", "fte", "field", "message"), BAD)
def test_the_census_record_service(tenant_a, headcount, fte, field, message):
    with pytest.raises(ValidationError) as error:
        census_record(
            actor=None,
            partnership=tenant_a.partnership,
            school=tenant_a.schools[0],
            year=2026,
            headcount=headcount,
            fte=Decimal(fte),
        )
    assert error.value.message_dict == {field: [message]}
    assert _census_count() == 0


@pytest.mark.parametrize(("headcount", "fte", "field", "message"), BAD)
def test_the_census_form(tenant_a, client_for, headcount, fte, field, message):
    response = client_for(tenant_a.coordinator).post(
        f"/p/{tenant_a.slug}/members/{tenant_a.schools[0].urn}/census/",
        {"year": "2026", "headcount": str(headcount), "fte": fte},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [message]}
    assert _census_count() == 0


@pytest.mark.parametrize(("headcount", "fte", "field", "message"), BAD)
def test_the_census_import(tenant_a, headcount, fte, field, message):
    data = f"URN,Headcount,FTE\r\n{tenant_a.schools[0].urn},{headcount},{fte}\r\n".encode()
    with pytest.raises(ValidationError) as error:
        census_import(actor=None, partnership=tenant_a.partnership, year=2026, data=data)
    shown = headcount if field == "headcount" else fte
    assert error.value.message_dict["file"][1] == f"Line 2: {message} (the file says {shown})"
    assert _census_count() == 0


def test_good_figures_pass_every_path(tenant_a, client_for):
    assert validators.census_problems(headcount=0, fte=Decimal("0")) == {}
    assert validators.census_problems(headcount=102, fte=Decimal("61.5")) == {}
    url = f"/p/{tenant_a.slug}/members/{tenant_a.schools[0].urn}/census/"
    response = client_for(tenant_a.coordinator).post(url, {"year": "2026", "headcount": "102", "fte": "61.5"})
    assert response.status_code == 302
    data = f"URN,Headcount,FTE\r\n{tenant_a.schools[1].urn},102,61.5\r\n".encode()
    assert census_import(actor=None, partnership=tenant_a.partnership, year=2026, data=data).created == 1
