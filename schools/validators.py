"""The rules for a school's January census figures, in one place.

The census form, the census record service and the census CSV import all check the figures here, so a
value is refused (with the same message) whichever way it arrives. Turning text into a number is each
path's own business (a form field, a CSV cell); what a number may be is decided only here.
"""

from decimal import Decimal

MAX_HEADCOUNT = 10000  # the largest schools in England have about 4,000 pupils
FTE_STEP = Decimal("0.1")  # the census gives FTE to one decimal place

HEADCOUNT_NOT_A_NUMBER = "Enter the headcount as a whole number of pupils, like 210"
FTE_NOT_A_NUMBER = "Enter the full-time equivalent as a number, like 204.5"


def headcount_problem(headcount) -> str | None:
    """What is wrong with a pupil headcount, or None."""
    if isinstance(headcount, bool) or not isinstance(headcount, int):
        return HEADCOUNT_NOT_A_NUMBER
    if headcount < 0:
        return "The headcount must be 0 or more"
    if headcount > MAX_HEADCOUNT:
        return f"The headcount must be {MAX_HEADCOUNT:,} or fewer"
    return None


def fte_problem(fte, headcount=None) -> str | None:
    """What is wrong with a full-time equivalent, or None. `headcount` is checked against only when it
    is itself a valid headcount: the FTE can be lower (part-time nursery pupils count 0.5), never higher."""
    if not isinstance(fte, Decimal) or not fte.is_finite():
        return FTE_NOT_A_NUMBER
    if fte < 0:
        return "The full-time equivalent must be 0 or more"
    if fte > MAX_HEADCOUNT:
        return f"The full-time equivalent must be {MAX_HEADCOUNT:,} or fewer"
    if fte != fte.quantize(FTE_STEP):
        return "The full-time equivalent has at most one decimal place"
    if headcount_problem(headcount) is None and fte > headcount:
        return f"The full-time equivalent cannot be more than the headcount ({headcount})"
    return None


def census_problems(*, headcount, fte) -> dict[str, str]:
    """Every problem with a census pair, by field name ("headcount", "fte"); empty when both are fine."""
    problems = {"headcount": headcount_problem(headcount), "fte": fte_problem(fte, headcount)}
    return {field: message for field, message in problems.items() if message}
