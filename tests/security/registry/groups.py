"""Groups and networks, development areas and the register of interests."""

from partnerships.models import (
    AreaParticipation,
    DevelopmentAction,
    DevelopmentArea,
    DevelopmentMilestone,
    Group,
    GroupMember,
)
from partnerships.roles import Role
from schools.models import Person

R = Role
_VIEWERS = set(Role) - {R.LA_OBSERVER}  # view_governance: every role but the local authority observer
_DECLARERS = set(Role) - {R.LA_OBSERVER}  # declare_interests
_LEADERS = {R.COORDINATOR, R.CHAIR, R.VICE_CHAIR}  # view_interests
_COORDINATOR = {R.COORDINATOR}  # manage_governance


# Each maker finds or makes one object of its kind in the tenant's partnership (called with scopes off).
def _person(tenant):
    person, _ = Person.objects.get_or_create(
        partnership=tenant.partnership,
        school=tenant.schools[0],
        position=Person.Position.DEPUTY_HEAD,
        full_name="Registry Deputy",
    )
    return person


def _group(tenant):
    group, _ = Group.objects.get_or_create(
        partnership=tenant.partnership,
        name="Registry network",
        defaults={"kind": Group.Kind.STANDING, "starts": "2024-09-01"},
    )
    return group


def _group_member(tenant):
    member, _ = GroupMember.objects.get_or_create(group=_group(tenant), person=_person(tenant))
    return member.pk


def _area(tenant):
    area, _ = DevelopmentArea.objects.get_or_create(
        partnership=tenant.partnership, academic_year=2026, name="Registry area"
    )
    return area


def _action(tenant):
    action, _ = DevelopmentAction.objects.get_or_create(area=_area(tenant), description="Registry action")
    return action.pk


def _milestone(tenant):
    milestone, _ = DevelopmentMilestone.objects.get_or_create(
        area=_area(tenant), description="Registry milestone", defaults={"due": "2027-03-31"}
    )
    return milestone.pk


def _participation(tenant):
    participation, _ = AreaParticipation.objects.get_or_create(
        area=_area(tenant), school=tenant.schools[0], defaults={"lead": _person(tenant)}
    )
    return participation.pk


OBJECT_KWARGS = {
    "group_pk": lambda tenant: _group(tenant).pk,
    "group_member_pk": _group_member,
    "area_pk": lambda tenant: _area(tenant).pk,
    "dev_action_pk": _action,
    "milestone_pk": _milestone,
    "participation_pk": _participation,
}

ALLOWED = {
    "groups:list": _VIEWERS,
    "groups:list_export": _VIEWERS,
    "groups:detail": _VIEWERS,
    "groups:members_export": _VIEWERS,
    "groups:create": _COORDINATOR,
    "groups:change": _COORDINATOR,
    "groups:host": _COORDINATOR,
    "groups:member_add": _COORDINATOR,
    "groups:member_remove": _COORDINATOR,
    "development:list": _VIEWERS,
    "development:list_export": _VIEWERS,
    "development:participation": _VIEWERS,
    "development:participation_export": _VIEWERS,
    "development:detail": _VIEWERS,
    "development:create": _COORDINATOR,
    "development:change": _COORDINATOR,
    "development:action_add": _COORDINATOR,
    "development:milestone_add": _COORDINATOR,
    "development:participation_add": _COORDINATOR,
    "development:action_change": _COORDINATOR,
    "development:milestone_change": _COORDINATOR,
    "development:participation_change": _COORDINATOR,
    "development:participation_remove": _COORDINATOR,
    "interests:mine": _DECLARERS,
    "interests:declare": _DECLARERS,
    "interests:register": _LEADERS,
    "interests:register_export": _LEADERS,
    "interests:remind": _COORDINATOR,
}
