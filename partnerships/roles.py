"""The roles a person can hold in a partnership, and the permissions each one grants.

Views and templates check the permissions; only this module knows which role grants what. The
permissions are worked out from the roles in force whenever they are asked for (per request, in
`partnerships.tenancy.TenantContext`, or through `partnerships.selectors` outside a request), never
stored, so a permission cannot outlive the role that gives it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from partnerships.models import RoleAssignment


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice chair"
    STRATEGY_REP = "strategy_rep", "Strategy group representative"
    STRATEGY_RESERVE = "strategy_reserve", "Strategy group reserve"
    HEADTEACHER = "headteacher", "Headteacher"
    DEPUTY = "deputy", "Deputy headteacher"
    CHAIR_OF_GOVERNORS = "chair_of_governors", "Chair of governors"
    GOVERNOR = "governor", "Governor"
    FINANCE_OFFICER = "finance_officer", "Finance officer"
    ADVISER = "adviser", "Adviser"
    LA_OBSERVER = "la_observer", "Local authority observer"


# Roles held for a particular school: the school must be named and be a member.
SCHOOL_ROLES = frozenset(
    {
        Role.HEADTEACHER,
        Role.DEPUTY,
        Role.CHAIR_OF_GOVERNORS,
        Role.GOVERNOR,
        Role.FINANCE_OFFICER,
        Role.ADVISER,
    }
)

# Roles that only the confirmed strategy group rota gives (partnerships.services.representatives): no form
# offers them and role_start refuses them, so the rota and the people page can never disagree.
ROTA_ROLES = frozenset({Role.STRATEGY_REP, Role.STRATEGY_RESERVE})
ROTA_ROLES_REFUSAL = "Strategy group representatives come from the confirmed rota"

# Roles held for a school that are the school's own people, private to it like its staff list (see
# partnerships.selectors.permissions.SchoolPrivacy). The others are seen by every member: the
# headteacher (each school's contact), its adviser and the banker's finance officer, and the
# partnership's own offices.
PRIVATE_SCHOOL_ROLES = frozenset({Role.DEPUTY, Role.CHAIR_OF_GOVERNORS, Role.GOVERNOR})

# Every role may see the partnership, its members, people, governance and meetings, and declare interests.
_EVERYONE = {
    "view_partnership",
    "view_members",
    "view_people",
    "view_governance",
    "declare_interests",
    "view_meetings",
}
_LEADERS = _EVERYONE | {"view_audit", "view_interests", "view_finance"}

PARTNERSHIP_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset(
        _LEADERS
        | {
            "manage_people",
            "change_partnership",
            "manage_members",
            "change_constitution",
            "manage_governance",
            "manage_meetings",
            "manage_finance",
            "manage_subscriptions",
            "view_school_records",
            "manage_reports",
        }
    ),
    Role.CHAIR: frozenset(_LEADERS),
    Role.VICE_CHAIR: frozenset(_LEADERS),
    Role.STRATEGY_REP: frozenset(_EVERYONE),
    Role.STRATEGY_RESERVE: frozenset(_EVERYONE),
    Role.HEADTEACHER: frozenset(_EVERYONE | {"view_shared_with_headteachers", "view_finance"}),
    Role.DEPUTY: frozenset(_EVERYONE),
    Role.CHAIR_OF_GOVERNORS: frozenset(_EVERYONE),
    Role.GOVERNOR: frozenset(_EVERYONE),
    Role.FINANCE_OFFICER: frozenset(_EVERYONE | {"view_finance"}),
    Role.ADVISER: frozenset(_EVERYONE),
    Role.LA_OBSERVER: frozenset({"view_partnership", "view_members"}),
}

# A school's private records (its people's contact details, census, budget and contribution) are the
# school's own: `view_school_private` on it, `view_school_records` (the coordinator) on every school,
# and `keep_partnership_funds` held for the banker school for every school's figures. What else is
# shared follows the constitution's information sharing; partnerships.selectors.permissions.school_privacy
# puts these together, and is the only place that does.
SCHOOL_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.HEADTEACHER: frozenset(
        {
            "act_for_school",
            "govern_school",
            "manage_school_people",
            "view_school_private",
            "read_governors_report",
            "release_governors_report",
        }
    ),
    Role.DEPUTY: frozenset({"act_for_school", "view_school_private"}),
    # The chair of governors also sees, beside the school's reports, the agreement's state and what they sign.
    Role.CHAIR_OF_GOVERNORS: frozenset(
        {"govern_school", "view_school_private", "read_governors_report", "see_governors_agreement"}
    ),
    Role.GOVERNOR: frozenset({"govern_school", "view_school_private", "read_governors_report"}),
    Role.FINANCE_OFFICER: frozenset({"act_for_school", "view_school_private", "keep_partnership_funds"}),
    Role.ADVISER: frozenset({"advise_school", "view_school_private"}),
}

# Every codename a role can give, so a misspelt check fails loudly instead of quietly denying.
ALL_PARTNERSHIP_PERMISSIONS = frozenset().union(*PARTNERSHIP_PERMISSIONS.values())
ALL_SCHOOL_PERMISSIONS = frozenset().union(*SCHOOL_PERMISSIONS.values())


def permissions_for(roles: Iterable[RoleAssignment]) -> frozenset[str]:
    """The partnership permissions that `roles` give together.

    Pass only the roles in force on the day in question (`RoleAssignment.objects.active(on)`), all
    from one partnership: this function does no date or tenant filtering of its own.
    """
    return frozenset().union(*(PARTNERSHIP_PERMISSIONS[r.role] for r in roles))


def school_permissions_for(roles: Iterable[RoleAssignment], school_id: int) -> frozenset[str]:
    """The permissions on one school that `roles` give: only roles held for that very school count.

    As for `permissions_for`, pass the roles in force in one partnership; a role held for the same
    school in another partnership must not be among them.
    """
    return frozenset().union(*(SCHOOL_PERMISSIONS.get(r.role, frozenset()) for r in roles if r.school_id == school_id))
