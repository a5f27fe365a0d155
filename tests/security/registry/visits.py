"""Notes of visit and Joint Annual Reviews (subscriptions/urls.py). The matrix's school roles are held
for tenant.schools[1], whose note and review these makers return, made directly with the ORM (that
school has left the partnership; the services' rules are tested in tests/subscriptions). The note's
adviser is the coordinator's user, who does not advise the school, so no matrix role is its writer;
the note names the chair of governors and the coordinator as readers (a coordinator the note does not
name gets 404: tests/subscriptions/test_visits.py), so every page opens for the coordinator, as
tests/security/test_get_writes_nothing.py needs."""

from django.utils import timezone

from partnerships.calendar import academic_year_of
from partnerships.roles import SCHOOL_ROLES, Role
from subscriptions.models import Review, ReviewEvent, Visit

_ALL = set(Role)
_ADVISER = {Role.ADVISER}
_HEAD = {Role.HEADTEACHER}
_NOTE_READERS = {Role.HEADTEACHER, Role.CHAIR_OF_GOVERNORS, Role.COORDINATOR}  # the head, and the roles named
_REVIEW_READERS = {Role.COORDINATOR} | set(SCHOOL_ROLES)


def _visit(tenant) -> Visit:
    return Visit.objects.filter(partnership=tenant.partnership, school=tenant.schools[1]).first() or (
        Visit.objects.create(
            partnership=tenant.partnership,
            school=tenant.schools[1],
            adviser=tenant.coordinator,
            on=timezone.localdate(),
            agenda="Matrix agenda",
            seen="The headteacher",
            shared_with=[Role.CHAIR_OF_GOVERNORS.value, Role.COORDINATOR.value],
        )
    )


def _review(tenant) -> Review:
    existing = Review.objects.filter(partnership=tenant.partnership, school=tenant.schools[1]).first()
    if existing:
        return existing
    review = Review.objects.create(
        partnership=tenant.partnership,
        school=tenant.schools[1],
        adviser=tenant.coordinator,
        year=academic_year_of(timezone.localdate()),
        term=Review.Term.AUTUMN,
        summary="Matrix review",
    )
    ReviewEvent.objects.create(review=review, to_state=Review.State.DRAFT, by=tenant.coordinator)
    return review


OBJECT_KWARGS = {
    "visit_pk": lambda tenant: _visit(tenant).pk,
    "review_pk": lambda tenant: _review(tenant).pk,
}

ALLOWED = {
    "subscriptions:visits": _ALL,
    "subscriptions:visits_export": _ALL,
    "subscriptions:visit_new": _ADVISER,
    "subscriptions:visit": _NOTE_READERS,
    "subscriptions:visit_agenda": _HEAD,
    "subscriptions:visit_notes": set(),  # only the adviser who wrote it, and no matrix role did
    "subscriptions:reviews": _ALL,
    "subscriptions:reviews_export": _ALL,
    "subscriptions:review_new": _ADVISER,
    "subscriptions:review": _REVIEW_READERS,
    "subscriptions:review_edit": _ADVISER,
    "subscriptions:review_send": _ADVISER,
    "subscriptions:review_submit": _ADVISER,
    "subscriptions:review_confirm": _HEAD,
    "subscriptions:review_return": _HEAD,
}

# A note of visit does not exist for anyone who may not read it (the coordinator too); a review, for
# anyone outside the school other than the coordinator.
NOT_FOUND = {
    **{f"subscriptions:{name}": _ALL - _NOTE_READERS for name in ("visit", "visit_agenda", "visit_notes")},
    **{
        f"subscriptions:{name}": _ALL - _REVIEW_READERS
        for name in ("review", "review_edit", "review_send", "review_submit", "review_confirm", "review_return")
    },
}
