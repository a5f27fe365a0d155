"""Meetings' pages, one module per concept: meetings (schedule, answer, attendance, calendars) and
agenda (items, papers, the pack)."""
