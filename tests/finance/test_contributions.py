"""contribution_amounts: each member school's contribution, from the figures in force, to the penny."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from finance import selectors
from finance.models import ContributionScheme, FinancialYear
from finance.selectors import census_year_for, largest_remainder
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import MembershipFactory, PartnershipFactory
from tests.factories.schools import BudgetFactory, CensusFactory, SchoolFactory

pytestmark = pytest.mark.django_db
D = datetime.date
B = ContributionScheme.Basis

# Heart of Manchester's eight schools and their FTE pupils at the January 2026 census.
MANCHESTER = [
    (990201, "Claremont Primary School", "412.5", "825.00"),
    (990202, "St Philip's Church of England Primary School", "208.0", "416.00"),
    (990203, "St Margaret's Church of England Primary School", "236.5", "473.00"),
    (990204, "Webster Primary School", "398.0", "796.00"),
    (990205, "Martenscroft Nursery School and Children's Centre", "61.5", "123.00"),
    (990206, "Divine Mercy RC Primary School", "455.5", "911.00"),
    (990207, "Rolls Crescent Primary School", "224.0", "448.00"),
    (990208, "St Mary's Church of England Primary School", "201.5", "403.00"),
]


def _year(partnership) -> FinancialYear:
    return FinancialYear.objects.create(
        partnership=partnership, starts=D(2026, 4, 1), ends=D(2027, 3, 31), label="2026-27", opened_by=UserFactory()
    )


def _scheme(year, basis, *, rate=None, total=None, joiner=ContributionScheme.Joiner.PRO_RATA):
    return ContributionScheme.objects.create(
        year=year,
        basis=basis,
        rate=Decimal(rate) if rate else None,
        total=Decimal(total) if total else None,
        joiner=joiner,
        set_by=year.opened_by,
    )


def _members(partnership, count, **census):
    schools = [SchoolFactory() for _ in range(count)]
    for school in schools:
        MembershipFactory(partnership=partnership, school=school)
    return schools


def contribution_amounts(scheme):
    with scope(partnership=scheme.year.partnership):
        return selectors.contribution_amounts(scheme)


@pytest.fixture
def partnership():
    with scopes_disabled():
        return PartnershipFactory()


def test_two_pounds_per_fte_for_the_eight_manchester_schools(partnership):
    for urn, name, fte, _ in MANCHESTER:
        school = SchoolFactory(urn=urn, name=name)
        MembershipFactory(partnership=partnership, school=school)
        CensusFactory(school=school, year=2026, fte=Decimal(fte))
        CensusFactory(school=school, year=2025, fte=Decimal("999.0"))  # an older census is not used
    result = contribution_amounts(_scheme(_year(partnership), B.PER_FTE, rate="2.00"))
    assert result.census_year == 2026
    by_urn = {row.school.urn: row for row in result.rows}
    assert {urn: str(by_urn[urn].amount) for urn, *_ in MANCHESTER} == {urn: amount for urn, *_, amount in MANCHESTER}
    assert {str(row.figure) for row in result.rows} == {fte for _, _, fte, _ in MANCHESTER}
    assert all(row.figure_label == "FTE at the January 2026 census" for row in result.rows)
    assert result.total == Decimal("4395.00")
    assert all(isinstance(row.amount, Decimal) for row in result.rows)


def test_a_per_fte_amount_is_rounded_half_up_to_the_penny(partnership):
    (school,) = _members(partnership, 1)
    CensusFactory(school=school, year=2026, fte=Decimal("100.5"))
    (row,) = contribution_amounts(_scheme(_year(partnership), B.PER_FTE, rate="1.25")).rows
    assert row.amount == Decimal("125.63")  # 125.625: half up, not to even


def test_the_census_is_the_january_one_before_the_year():
    assert census_year_for(FinancialYear(starts=D(2026, 4, 1))) == 2026
    assert census_year_for(FinancialYear(starts=D(2026, 9, 1))) == 2026
    assert census_year_for(FinancialYear(starts=D(2026, 1, 1))) == 2025


@pytest.mark.parametrize(
    ("total", "budgets"),
    [
        ("1000.00", ["1000000"] * 7),
        ("0.05", ["1"] * 3),
        ("1000.00", ["1234567.89", "987654.32", "555555.55", "2000000", "123456.78", "765432.10", "1.00"]),
        ("0.01", ["5", "5"]),
    ],
)
def test_shares_of_a_total_add_up_to_it_exactly(partnership, total, budgets):
    schools = _members(partnership, len(budgets))
    for school, amount in zip(schools, budgets, strict=True):
        BudgetFactory(school=school, financial_year=2026, amount=Decimal(amount))
    result = contribution_amounts(_scheme(_year(partnership), B.BUDGET_SHARE, total=total))
    assert result.total == Decimal(total)
    assert all(row.amount >= 0 and row.amount.as_tuple().exponent == -2 for row in result.rows)


def test_a_thousand_pounds_among_seven_gives_the_odd_pennies_to_the_lowest_urns(partnership):
    schools = _members(partnership, 7)
    for school in schools:
        CensusFactory(school=school, year=2026, fte=Decimal("200.0"))
    result = contribution_amounts(_scheme(_year(partnership), B.PUPIL_SHARE, total="1000.00"))
    by_urn = sorted(result.rows, key=lambda row: row.school.urn)
    # 1000 / 7 = 142.857...: 142.85 each and the 5 pennies left over to the five lowest URNs.
    assert [row.amount for row in by_urn] == [Decimal("142.86")] * 5 + [Decimal("142.85")] * 2
    assert result.total == Decimal("1000.00")


def test_five_pence_among_three_equal_schools(partnership):
    schools = _members(partnership, 3)
    for school in schools:
        BudgetFactory(school=school, financial_year=2026, amount=Decimal("1000.00"))
    result = contribution_amounts(_scheme(_year(partnership), B.BUDGET_SHARE, total="0.05"))
    by_urn = sorted(result.rows, key=lambda row: row.school.urn)
    assert [row.amount for row in by_urn] == [Decimal("0.02"), Decimal("0.02"), Decimal("0.01")]


def test_ties_go_to_the_larger_exact_share_then_the_lower_urn():
    # Remainders equal (0.5p each for b and c), b's exact share larger: b gets the penny first.
    weights = {"a": 1, "b": 3, "c": 1}
    from fractions import Fraction

    parts = largest_remainder(Decimal("0.10"), {k: Fraction(v) for k, v in weights.items()}, {"a": 1, "b": 3, "c": 2})
    # 10p in fifths: a 2p, b 6p, c 2p exactly; nothing left over.
    assert {k: v[0] for k, v in parts.items()} == {"a": Decimal("0.02"), "b": Decimal("0.06"), "c": Decimal("0.02")}
    parts = largest_remainder(
        Decimal("0.05"),
        {"x": Fraction(3), "y": Fraction(1), "z": Fraction(1), "w": Fraction(3)},
        {"x": 9, "y": 1, "z": 2, "w": 5},
    )
    # exact: x 1.875, w 1.875, y 0.625, z 0.625 -> floors 1, 1, 0, 0 (2p), 3p left: remainders .875 (x, w)
    # then .625 (y, z) tied on remainder and share, so to the lower URN: y.
    assert {k: v[0] for k, v in parts.items()} == {
        "x": Decimal("0.02"),
        "w": Decimal("0.02"),
        "y": Decimal("0.01"),
        "z": Decimal("0.00"),
    }


def test_a_tie_on_remainder_goes_to_the_larger_exact_share():
    from fractions import Fraction

    # 4p in proportion 1.5 : 0.5 : 2 (a 1.5p, b 0.5p, c 2p): remainders a .5 and b .5; a's share is larger.
    parts = largest_remainder(
        Decimal("0.04"), {"a": Fraction(3, 2), "b": Fraction(1, 2), "c": Fraction(2)}, {"a": 9, "b": 1, "c": 5}
    )
    assert {k: v[0] for k, v in parts.items()} == {"a": Decimal("0.02"), "b": Decimal("0.00"), "c": Decimal("0.02")}


def test_missing_census_figures_name_the_schools_and_nothing_is_computed(partnership):
    schools = _members(partnership, 3)
    CensusFactory(school=schools[0], year=2026)
    CensusFactory(school=schools[1], year=2025)  # last year's census is not the one needed
    with pytest.raises(ValidationError) as raised:
        contribution_amounts(_scheme(_year(partnership), B.PER_FTE, rate="2.00"))
    message = raised.value.messages[0]
    assert schools[1].name in message and schools[2].name in message and schools[0].name not in message
    assert "January 2026 census" in message


def test_missing_budgets_name_the_schools(partnership):
    schools = _members(partnership, 2)
    BudgetFactory(school=schools[0], financial_year=2026)
    with pytest.raises(ValidationError, match=schools[1].name):
        contribution_amounts(_scheme(_year(partnership), B.BUDGET_SHARE, total="100.00"))


def test_a_joiner_pays_pro_rata_by_whole_months_and_a_leaver_the_whole_year(partnership):
    stayer, joiner, leaver, gone, future = (SchoolFactory(name=n) for n in "ABCDE")
    MembershipFactory(partnership=partnership, school=stayer)
    MembershipFactory(partnership=partnership, school=joiner, joined=D(2026, 9, 15))  # October to March: 6 months
    MembershipFactory(partnership=partnership, school=leaver, left=D(2026, 7, 31))
    MembershipFactory(partnership=partnership, school=gone, left=D(2026, 3, 31))  # left before the year
    MembershipFactory(partnership=partnership, school=future, joined=D(2027, 4, 1))  # joins after it
    for school in (stayer, joiner, leaver, gone, future):
        CensusFactory(school=school, year=2026, fte=Decimal("100.0"))
    year = _year(partnership)
    rows = {row.school.name: row for row in contribution_amounts(_scheme(year, B.PER_FTE, rate="2.00")).rows}
    assert set(rows) == {"A", "B", "C"}
    assert (rows["A"].amount, rows["B"].amount, rows["C"].amount) == (
        Decimal("200.00"),
        Decimal("100.00"),
        Decimal("200.00"),
    )
    assert rows["B"].months == 6 and rows["B"].pro_rata


def test_a_joiner_pays_in_full_where_the_scheme_says_so(partnership):
    school = SchoolFactory()
    MembershipFactory(partnership=partnership, school=school, joined=D(2026, 11, 1))
    year = _year(partnership)
    scheme = _scheme(year, B.FLAT, rate="300.00", joiner=ContributionScheme.Joiner.IN_FULL)
    (row,) = contribution_amounts(scheme).rows
    assert row.amount == Decimal("300.00") and row.figure is None


def test_a_joiner_on_the_first_of_a_month_pays_for_that_month(partnership):
    school = SchoolFactory()
    MembershipFactory(partnership=partnership, school=school, joined=D(2027, 3, 1))
    (row,) = contribution_amounts(_scheme(_year(partnership), B.FLAT, rate="120.00")).rows
    assert (row.months, row.amount) == (1, Decimal("10.00"))


def test_per_activity_has_no_yearly_amounts(partnership):
    with pytest.raises(ValidationError, match="each activity"):
        contribution_amounts(_scheme(_year(partnership), B.PER_ACTIVITY))


def test_another_partnerships_members_are_not_counted(partnership):
    other = PartnershipFactory()
    school = SchoolFactory()
    MembershipFactory(partnership=other, school=school)
    assert contribution_amounts(_scheme(_year(partnership), B.FLAT, rate="10.00")).rows == []
