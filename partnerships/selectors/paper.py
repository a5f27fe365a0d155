"""Signing the agreement on paper: who may upload a school's signed and scanned copy, and who checks it.

A school that prefers paper prints its copy (the stored blank), signs it by hand and uploads the scan;
the coordinator compares the scan with the copy and confirms it or sends it back. Who may upload is
`scan_upload_refusal`, and only there; who checks is `scan_check_refusal`. Both read the roles in force
on the day, as partnerships.selectors.signing does, so they answer the same inside and outside a request.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import User
from partnerships.models import AgreementCopy, AgreementVersion, RoleAssignment
from partnerships.roles import PARTNERSHIP_PERMISSIONS, permissions_for, school_permissions_for

C = AgreementCopy.Status
V = AgreementVersion.Status

UPLOADS_FOR_SCHOOL = "act_for_school"  # on the copy's school: its headteacher (and who acts for the school)
CHECKS_SCANS = "change_constitution"  # on the partnership: the coordinator, who keeps the agreement


def size_label(limit: int) -> str:
    """A size limit as people say it: 20 MB, 512 KB."""
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    if limit >= 1024:
        return f"{limit / 1024:g} KB"
    return f"{limit} bytes"


def _permissions(user: User, copy: AgreementCopy, on: datetime.date) -> tuple[frozenset[str], frozenset[str]]:
    """(partnership permissions, permissions on the copy's school) from `user`'s roles in force on `on`."""
    if not getattr(user, "is_authenticated", False):
        return frozenset(), frozenset()
    roles = list(RoleAssignment.objects.filter(user=user, partnership_id=copy.version.partnership_id).active(on))
    return permissions_for(roles), school_permissions_for(roles, copy.school_id)


def _replacement(version: AgreementVersion) -> AgreementVersion | None:
    """The version in force now that `version` is replaced (else the one that replaced it)."""
    versions = AgreementVersion.objects.filter(partnership_id=version.partnership_id)
    return (
        versions.filter(status=V.PUBLISHED).order_by("-number").first()
        or versions.filter(supersedes=version).order_by("-number").first()
    )


def version_refusal(copy: AgreementCopy) -> str:
    """Why `copy` can no longer be signed on paper, whoever asks; empty if it can."""
    version = copy.version
    if copy.status in AgreementCopy.COMPLETE:
        return f"{copy.school.name}'s copy is already signed ({copy.get_status_display().lower()})"
    if version.status == V.SUPERSEDED:
        later = _replacement(version)
        if later is None:
            return f"Version {version.number} has been replaced: print and sign the version in force"
        return f"Version {version.number} has been replaced by version {later.number}: print and sign that one"
    if version.status != V.PUBLISHED:
        return "Only a published version can be signed"
    if copy.status not in (C.AWAITING, C.SCAN_UPLOADED):
        return f"{copy.school.name}'s copy can no longer be signed ({copy.get_status_display().lower()})"
    return ""


def scan_upload_refusal(user: User, copy: AgreementCopy, on: datetime.date | None = None) -> str:
    """Why `user` may not upload the scan of `copy` signed on paper today; empty if they may. The one
    rule of who uploads: the copy's school's headteacher (whoever acts for the school) or the
    coordinator, while the copy of the version in force awaits its signatures or its check (a second
    upload replaces a scan not yet checked)."""
    if refusal := version_refusal(copy):
        return refusal
    perms, school_perms = _permissions(user, copy, on or timezone.localdate())
    if UPLOADS_FOR_SCHOOL not in school_perms and CHECKS_SCANS not in perms:
        return f"Only the headteacher of {copy.school.name} or the coordinator can upload the signed copy"
    return ""


def scan_check_refusal(user: User, copy: AgreementCopy, on: datetime.date | None = None) -> str:
    """Why `user` may not confirm (or send back) the scan of `copy` today; empty if they may."""
    perms, _ = _permissions(user, copy, on or timezone.localdate())
    if CHECKS_SCANS not in perms:
        return "Only the coordinator checks a copy signed on paper"
    if copy.status != C.SCAN_UPLOADED or not copy.scan:
        return f"There is no scan of {copy.school.name}'s copy waiting for a check"
    return ""


def scan_checkers(partnership_id: int, on: datetime.date | None = None) -> list[User]:
    """Who checks the scans of a partnership's copies today (its coordinators), each once."""
    roles = [role for role, perms in PARTNERSHIP_PERMISSIONS.items() if CHECKS_SCANS in perms]
    assignments = (
        RoleAssignment.objects.filter(partnership_id=partnership_id, role__in=roles)
        .active(on or timezone.localdate())
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    return list({a.user_id: a.user for a in assignments}.values())
