from partnerships.roles import Role

R = Role
_ALL = set(Role)
_VIEWERS = _ALL - {R.LA_OBSERVER}
_LEADERS = {R.COORDINATOR, R.CHAIR, R.VICE_CHAIR}

OBJECT_KWARGS = {
    "role_pk": lambda tenant: tenant.role.pk,
    "invitation_pk": lambda tenant: tenant.invitation.pk,
}

ALLOWED = {
    "partnerships:dashboard": _ALL,
    "partnerships:people": _VIEWERS,
    "partnerships:people_export": _VIEWERS,
    "partnerships:invite": {R.COORDINATOR},
    "partnerships:role_end": {R.COORDINATOR},
    "partnerships:invitation_withdraw": {R.COORDINATOR},
    "partnerships:settings": {R.COORDINATOR},
    "partnerships:activity": _LEADERS,
    "partnerships:activity_export": _LEADERS,
}
