"""Dates as people read them in Commonroom's pages, messages and emails."""

import datetime


def date_label(value: datetime.date) -> str:
    """'1 September 2026': no leading zero, the month in words, as GOV.UK writes dates."""
    return f"{value.day} {value:%B %Y}"
