"""The shapes the read API answers with; they are its OpenAPI description too."""

import datetime

from ninja import Schema


class Error(Schema):
    detail: str


class InvalidQuery(Schema):
    detail: str
    errors: list[dict]


class Headteacher(Schema):
    name: str
    email: str


class Member(Schema):
    urn: int
    name: str
    phase: str
    local_authority: str
    street: str
    town: str
    postcode: str
    joined: datetime.date
    headteachers: list[Headteacher]


class MeetingOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    starts: datetime.datetime
    ends: datetime.datetime
    venue: str
    minutes_approved: bool


class Page(Schema):
    count: int
    limit: int
    offset: int


class MembersPage(Page):
    items: list[Member]


class MeetingsPage(Page):
    items: list[MeetingOut]


class MinutesItem(Schema):
    position: int
    title: str
    withheld: bool
    notes: str | None
    decisions: list[str]


class MinutesOut(Schema):
    meeting: MeetingOut
    approved_at: datetime.datetime
    approved_at_meeting: str
    items: list[MinutesItem]
