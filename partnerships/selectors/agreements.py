"""The partnership's agreement as in force on a day. Pages read its term only through here, so when
agreements gain versions (signed, renewed) this is the one place to point at them."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from partnerships.models import Partnership


@dataclass(frozen=True)
class AgreementTerm:
    starts: datetime.date | None
    ends: datetime.date | None  # the last day in force, inclusive
    state: str  # "in_force", "expired", "not_started" or "unknown"

    @property
    def needs_renewal(self) -> bool:
        return self.state == "expired"


def agreement_on(partnership: Partnership, day: datetime.date | None = None) -> AgreementTerm:
    """The agreement's term and whether it is in force on `day` (today by default)."""
    day = day or timezone.localdate()
    starts, ends = partnership.agreement_starts, partnership.agreement_ends
    if starts is None:
        state = "unknown"
    elif day < starts:
        state = "not_started"
    elif ends is not None and ends < day:
        state = "expired"
    else:
        state = "in_force"
    return AgreementTerm(starts=starts, ends=ends, state=state)
