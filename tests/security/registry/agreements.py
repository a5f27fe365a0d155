"""The partnership agreement's pages (partnerships/urls/agreements.py)."""

import datetime

from partnerships.models import AgreementMember, AgreementSection, AgreementVersion, SignatureBlock
from partnerships.roles import Role

_ALL = set(Role)  # view_partnership: every role reads the agreement
_COORDINATOR = {Role.COORDINATOR}  # change_constitution


def _version(tenant):
    """A draft with a section, a signatory and a member school, so every page has something to show."""
    version, made = AgreementVersion.objects.get_or_create(
        partnership=tenant.partnership,
        number=1,
        defaults={"starts": datetime.date(2024, 9, 1), "ends": datetime.date(2027, 8, 31)},
    )
    if made:
        AgreementSection.objects.create(version=version, key="aims", order=1, heading="Aims", text="- Share")
        SignatureBlock.objects.create(version=version, kind="headteacher", label="Headteacher", order=1)
        AgreementMember.objects.create(version=version, school=tenant.schools[0])
    return version


def _section(tenant):
    return AgreementSection.objects.get(version=_version(tenant), key="aims").pk


OBJECT_KWARGS = {
    "version_pk": lambda tenant: _version(tenant).pk,
    "other_version_pk": lambda tenant: _version(tenant).pk,
    "section_pk": _section,
}

ALLOWED = {
    "agreement:current": _ALL,
    "agreement:version": _ALL,
    "agreement:compare": _ALL,
    "agreement:draft": _COORDINATOR,
    "agreement:term": _COORDINATOR,
    "agreement:signatories": _COORDINATOR,
    "agreement:publish": _COORDINATOR,
    "agreement:renew": _COORDINATOR,
    "agreement:section": _COORDINATOR,
    "agreement:preview": _COORDINATOR,
}
