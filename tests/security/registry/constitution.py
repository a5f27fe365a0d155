"""Membership, term dates and the constitution (partnerships/urls_membership.py, urls_constitution.py)."""

import datetime

from django.core.files.base import ContentFile

from partnerships.models import LeavingNotice, Membership
from partnerships.models.constitution import SECTIONS
from partnerships.roles import Role

R = Role
_ALL = set(Role)


def _membership(tenant) -> int:
    return Membership.objects.get(partnership=tenant.partnership, school=tenant.schools[0]).pk


def _notice(tenant) -> int:
    """A notice from the tenant's second school, with a letter, so the letter download has a file."""
    membership = Membership.objects.get(partnership=tenant.partnership, school=tenant.schools[1])
    notice = LeavingNotice.objects.filter(membership=membership).first()
    if notice is None:
        notice = LeavingNotice(
            partnership=tenant.partnership,
            membership=membership,
            received_on=datetime.date(2024, 10, 1),
            given_by="The headteacher",
            leaving_on=datetime.date(2025, 4, 4),
            recorded_by=tenant.coordinator,
        )
        notice.letter.save("notice.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        notice.save()
        membership.left = notice.leaving_on
        membership.save(update_fields=["left"])
    return notice.pk


OBJECT_KWARGS = {
    "membership_pk": _membership,
    "notice_pk": _notice,
}

ALLOWED = {
    "membership:list": _ALL,
    "membership:list_export": _ALL,
    "membership:detail": _ALL,
    "membership:notice_detail": _ALL,
    "membership:join": {R.COORDINATOR},
    "membership:notice_record": {R.COORDINATOR},
    "membership:notes": {R.COORDINATOR},
    "membership:notice_letter": {R.COORDINATOR},
    "constitution:detail": _ALL,
    "constitution:terms": _ALL,
    "constitution:terms_export": _ALL,
    "constitution:terms_change": {R.COORDINATOR},
    **{f"constitution:change_{section}": {R.COORDINATOR} for section in SECTIONS},
}
