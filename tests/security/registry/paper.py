"""Signing the agreement on paper (partnerships/urls/agreements.py, partnerships/views/paper.py).

The copy is the `copy_pk` maker's (registry/agreements.py): the copy of tenant.schools[1], the school the
matrix's school roles are held for, with a scan stored."""

from partnerships.roles import SCHOOL_ROLES, Role

# A school's copy is its own and the partnership's: its people, the coordinator and the chair. The upload
# page tells those who may not upload (governors, the chair) who does.
_COPY = {Role.COORDINATOR, Role.CHAIR} | set(SCHOOL_ROLES)
_COORDINATOR = {Role.COORDINATOR}  # change_constitution: checks the scan

ALLOWED = {
    "agreement:paper_upload": _COPY,
    "agreement:paper_scan": _COPY,
    "agreement:paper_check": _COORDINATOR,
    "agreement:paper_reject": _COORDINATOR,
}

# To roles that may not see the copy, the upload page and the scan do not exist. The check pages ask for
# the coordinator's permission first: 403 to everyone else, before any copy is looked up.
NOT_FOUND = {name: set(Role) - _COPY for name in ("agreement:paper_upload", "agreement:paper_scan")}
