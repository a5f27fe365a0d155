"""The leaving-date rule: N terms' written notice, counted in the partnership's own terms.

Our reading (see partnerships.services.membership.leaving_date): notice received during a term T runs
through the N terms after T; notice received in a holiday makes the next term to start the first term
of notice.
"""

import datetime
from dataclasses import dataclass

import pytest

from partnerships.services.membership import leaving_date

D = datetime.date


@dataclass
class T:
    starts: datetime.date
    ends: datetime.date


AUTUMN_25 = T(D(2025, 9, 3), D(2025, 12, 19))
SPRING_26 = T(D(2026, 1, 5), D(2026, 3, 27))
SUMMER_26 = T(D(2026, 4, 13), D(2026, 7, 22))
AUTUMN_26 = T(D(2026, 9, 2), D(2026, 12, 18))
SPRING_27 = T(D(2027, 1, 4), D(2027, 3, 26))
SUMMER_27 = T(D(2027, 4, 12), D(2027, 7, 21))
TERMS = [AUTUMN_25, SPRING_26, SUMMER_26, AUTUMN_26, SPRING_27, SUMMER_27]


@pytest.mark.parametrize(
    ("received", "notice_terms", "leaves", "why"),
    [
        (D(2025, 10, 1), 1, SPRING_26.ends, "autumn notice: the end of the spring term"),
        (D(2025, 10, 28), 1, SPRING_26.ends, "notice in the autumn half-term break counts as the autumn term"),
        (AUTUMN_25.starts, 1, SPRING_26.ends, "the first day of term is in the term"),
        (AUTUMN_25.ends, 1, SPRING_26.ends, "the last day of the autumn term is still the autumn term"),
        (D(2025, 12, 20), 1, SPRING_26.ends, "the Christmas holiday: spring is the first term of notice"),
        (SPRING_26.starts, 1, SUMMER_26.ends, "the first day of spring: the end of the summer term"),
        (D(2026, 3, 28), 1, SUMMER_26.ends, "the Easter holiday: summer is the first term of notice"),
        (D(2026, 5, 1), 1, AUTUMN_26.ends, "summer notice: the end of the next autumn term"),
        (D(2026, 7, 23), 1, AUTUMN_26.ends, "the summer holiday: the end of the autumn term"),
        (D(2026, 8, 31), 1, AUTUMN_26.ends, "the last day of the summer holiday"),
        (D(2025, 10, 1), 2, SUMMER_26.ends, "two terms' notice in autumn: the end of the summer term"),
        (D(2026, 7, 23), 2, SPRING_27.ends, "two terms' notice in the summer holiday: the end of spring"),
        (D(2025, 10, 1), 3, AUTUMN_26.ends, "three terms' notice crosses into the next academic year"),
        (D(2025, 10, 1), 0, AUTUMN_25.ends, "no notice period, in term: the end of the current term"),
        (D(2025, 12, 22), 0, D(2025, 12, 22), "no notice period, in a holiday: the day it arrives"),
    ],
)
def test_the_leaving_date_follows_the_term_dates(received, notice_terms, leaves, why):
    assert leaving_date(received_on=received, terms=TERMS, notice_terms=notice_terms) == leaves, why


def test_the_rule_reads_the_partnerships_own_dates_not_the_calendar():
    late_spring = T(D(2026, 1, 5), D(2026, 4, 2))  # a partnership that keeps spring term longer
    terms = [AUTUMN_25, late_spring, SUMMER_26]
    assert leaving_date(received_on=D(2025, 11, 3), terms=terms, notice_terms=1) == D(2026, 4, 2)


def test_terms_that_do_not_reach_the_end_of_the_notice_are_an_error_not_a_wrong_date():
    with pytest.raises(ValueError):
        leaving_date(received_on=D(2027, 6, 1), terms=TERMS, notice_terms=1)  # nothing after summer 2027
    with pytest.raises(ValueError):
        leaving_date(received_on=D(2027, 8, 1), terms=TERMS, notice_terms=1)
    with pytest.raises(ValueError):
        leaving_date(received_on=D(2025, 10, 1), terms=TERMS, notice_terms=-1)
