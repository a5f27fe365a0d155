"""Notes of visit and Joint Annual Reviews for tests: an adviser for a school, a planned visit and a
review in any state, made through the services as the adviser and headteacher would."""

from __future__ import annotations

from django.utils import timezone
from django_scopes import scopes_disabled

from partnerships.calendar import academic_year_of
from partnerships.roles import Role
from subscriptions.models import Review
from subscriptions.services.reviews import review_confirm, review_draft, review_return, review_send, review_submit
from subscriptions.services.visits import visit_record
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import give_role


def adviser_for(tenant, *schools, name: str = "Ada Adviser"):
    """A new user holding the adviser role for `schools` (the tenant's first school by default)."""
    user = UserFactory(full_name=name)
    for school in schools or [tenant.schools[0]]:
        give_role(user, tenant.partnership, Role.ADVISER, school)
    return user


def visit_for(tenant, *, adviser=None, school=None, shared_with=()):
    adviser = adviser or adviser_for(tenant)
    with scopes_disabled():
        return visit_record(
            actor=adviser,
            partnership=tenant.partnership,
            school=school or tenant.schools[0],
            on=timezone.localdate(),
            agenda="Reading in key stage 2\nThe new behaviour policy",
            shared_with=list(shared_with),
        )


def review_in(tenant, state: str = Review.State.DRAFT, *, adviser=None, school=None, term: str = "autumn") -> Review:
    """A review of the tenant's first school (its headteacher is tenant.headteacher) moved to `state`."""
    adviser = adviser or adviser_for(tenant, school or tenant.schools[0])
    S = Review.State
    with scopes_disabled():
        review = review_draft(
            actor=adviser,
            partnership=tenant.partnership,
            school=school or tenant.schools[0],
            year=academic_year_of(timezone.localdate()),
            term=term,
            summary="Attainment rose in reading; writing is below the target.",
            ks2="Reading 78% (target 75%; last year 70%; local 74%; national 73%)",
        )
        if state == S.DRAFT:
            return review
        review_send(actor=adviser, review=review)
        if state == S.SENT:
            return review
        if state == S.RETURNED:
            return review_return(actor=tenant.headteacher, review=review, comments="Add the writing figures")
        review_confirm(actor=tenant.headteacher, review=review)
        if state == S.CONFIRMED:
            return review
        return review_submit(actor=adviser, review=review)
