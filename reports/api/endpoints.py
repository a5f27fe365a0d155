"""The read API's endpoints (reports.api). Each checks the same permission as the page that shows the
same thing, reads through the same selectors and scoped querysets, and pages its lists with a fixed
number of queries however long they are."""

import datetime

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from core.views import row_id
from meetings.models import Meeting, Minutes
from meetings.selectors import meeting_access, minutes_document
from partnerships.models import Membership
from reports.api.auth import in_tenant_scope
from reports.api.schemas import Error, InvalidQuery, MeetingOut, MeetingsPage, MembersPage, MinutesOut
from schools.models import Person

router = Router()
BASE = "/p/{slug:partnership_slug}"
ERRORS = {401: Error, 403: Error, 404: Error}
QUERY_ERRORS = {**ERRORS, 422: InvalidQuery}  # a query that does not match its types
# The URL's own converters (slug, int) say what the path may hold; the description says the same.
SLUG = Path(..., pattern=r"^[-a-zA-Z0-9_]+$", description="The partnership's short name in Commonroom's addresses")
MEETING_ID = Path(..., ge=0, description="The meeting's number")


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=100, description="How many to return, from 1 to 100")
    offset: int = Field(0, ge=0, le=1_000_000, description="How many to skip, at most a million")


class MeetingsQuery(PageQuery):
    since: datetime.date | None = Field(None, description="Only meetings starting on or after this day (YYYY-MM-DD)")


def _require(request, perm: str) -> None:
    if not request.tenant.has(perm):
        raise HttpError(403, "Your roles in this partnership do not let you see this")


def _page(rows, query: PageQuery, items) -> dict:
    return {"count": rows.count(), "limit": query.limit, "offset": query.offset, "items": items}


@router.get(f"{BASE}/members", response={200: MembersPage, **QUERY_ERRORS}, url_name="members", tags=["members"])
@in_tenant_scope
def members(request, query: Query[PageQuery], partnership_slug: str = SLUG):
    """The partnership's current member schools, with what every member may see of each other: name,
    phase, address and headteachers' names and work emails (a school's private records, such as its
    people, census and budget, are never here). Three queries, however many schools."""
    _require(request, "view_members")
    rows = Membership.objects.filter(partnership=request.partnership).current().select_related("school")
    rows = rows.order_by("school__name", "school__urn")
    memberships = list(rows[query.offset : query.offset + query.limit])
    heads: dict[int, list[dict]] = {}
    for person in Person.objects.filter(
        partnership=request.partnership,
        school_id__in=[m.school_id for m in memberships],
        position=Person.Position.HEADTEACHER,
    ).order_by("full_name"):
        heads.setdefault(person.school_id, []).append({"name": person.full_name, "email": person.email})
    items = [
        {
            "urn": m.school.urn,
            "name": m.school.name,
            "phase": m.school.phase,
            "local_authority": m.school.local_authority,
            "street": m.school.street,
            "town": m.school.town,
            "postcode": m.school.postcode,
            "joined": m.joined,
            "headteachers": heads.get(m.school_id, []),
        }
        for m in memberships
    ]
    return _page(rows, query, items)


def _meetings():
    approved = Minutes.objects.filter(status=Minutes.Status.APPROVED)
    return Meeting.objects.select_related("venue_school").prefetch_related(
        Prefetch("minutes", queryset=approved, to_attr="published_minutes")
    )


def _approved(meeting: Meeting) -> Minutes | None:
    """The meeting's minutes if approved (prefetched by _meetings), else None."""
    return getattr(meeting, "published_minutes", None)


def _meeting_out(meeting: Meeting) -> dict:
    minutes = _approved(meeting)
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "kind": meeting.kind,
        "status": meeting.status,
        "starts": meeting.starts,
        "ends": meeting.ends,
        "venue": meeting.venue_school.name if meeting.venue_school else meeting.venue_address,
        "minutes_approved": bool(minutes),
    }


@router.get(f"{BASE}/meetings", response={200: MeetingsPage, **QUERY_ERRORS}, url_name="meetings", tags=["meetings"])
@in_tenant_scope
def meetings(request, query: Query[MeetingsQuery], partnership_slug: str = SLUG):
    """The partnership's meetings, newest first, for those who see its meetings. Three queries, however many."""
    _require(request, "view_meetings")
    rows = Meeting.objects.filter(partnership=request.partnership)
    if query.since:
        rows = rows.filter(starts__date__gte=query.since)
    page = _meetings().filter(pk__in=rows.values("pk")).order_by("-starts", "-pk")
    items = [_meeting_out(m) for m in page[query.offset : query.offset + query.limit]]
    return _page(rows, query, items)


def _meeting(meeting_id: int = MEETING_ID) -> Meeting:
    return get_object_or_404(_meetings(), pk=row_id(meeting_id))


@router.get(
    f"{BASE}/meetings/{{int:meeting_id}}", response={200: MeetingOut, **ERRORS}, url_name="meeting", tags=["meetings"]
)
@in_tenant_scope
def meeting(request, partnership_slug: str = SLUG, meeting_id: int = MEETING_ID):
    """One meeting of the partnership."""
    _require(request, "view_meetings")
    return _meeting_out(_meeting(meeting_id))


@router.get(
    f"{BASE}/meetings/{{int:meeting_id}}/minutes",
    response={200: MinutesOut, **ERRORS},
    url_name="minutes",
    tags=["meetings"],
)
@in_tenant_scope
def minutes(request, partnership_slug: str = SLUG, meeting_id: int = MEETING_ID):
    """A meeting's minutes once approved as a true record, as the reader may see them: a confidential
    item's notes and decisions are withheld from those not entitled to them, as on the page. Draft and
    circulated minutes are not published here (404)."""
    found = _meeting(meeting_id)
    approved = _approved(found)
    access = meeting_access(request.user, found)
    if not access.may_read_minutes(Minutes.Status.APPROVED):
        raise HttpError(403, "Your roles in this partnership do not let you read minutes")
    if approved is None:
        raise Http404("These minutes are not approved yet")
    document = minutes_document(found, access)
    return {
        "meeting": _meeting_out(found),
        "approved_at": approved.approved_at,
        "approved_at_meeting": str(approved.approved_at_meeting.title) if approved.approved_at_meeting_id else "",
        "items": [
            {
                "position": item.position,
                "title": item.title,
                "withheld": item.withheld,
                "notes": None if item.withheld else item.notes,
                "decisions": [] if item.withheld else [d.text for d in item.decisions.all()],
            }
            for item in document["items"]
        ],
    }
