"""Subscriptions' panels on the dashboard's "Needs you now" list (core/panels.py), registered by
SubscriptionsConfig.ready(): a school's credits left this year, for those who act for it; an adviser's
notes of visit to write and reviews to revise or submit; a headteacher's reviews to confirm."""

from django.utils import timezone

from core.panels import Panel
from partnerships.calendar import academic_year_of
from partnerships.selectors.permissions import acting_school_ids
from subscriptions.selectors import adviser_work, credits_left


def credits_needs(request, **kwargs) -> dict | None:
    school_ids = acting_school_ids(request.tenant)
    if not school_ids:
        return None
    subscriptions = credits_left(request.partnership, school_ids, academic_year_of(timezone.localdate()))
    return {"subscriptions": subscriptions} if subscriptions else None


def advice_needs(request, **kwargs) -> dict | None:
    work = adviser_work(request.tenant, timezone.localdate())
    if not (work.notes_to_write or work.reviews_to_finish or work.reviews_to_confirm):
        return None
    return {"work": work}


PANELS = [
    Panel(
        slot="dashboard_needs",
        name="credits",
        template="subscriptions/panels/credits.html",
        context=credits_needs,
        order=50,
    ),
    Panel(
        slot="dashboard_needs",
        name="advice",
        template="subscriptions/panels/advice.html",
        context=advice_needs,
        order=60,
    ),
]
