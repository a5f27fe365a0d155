"""The audit log accepts only the kinds of row AuditAction lists, stored under their fixed strings."""

import pytest
from django_scopes import scopes_disabled

from accounts.audit import AuditAction, audit_record
from accounts.models import AuditEvent


@pytest.mark.django_db
def test_audit_record_stores_the_members_string():
    event = audit_record(actor=None, action=AuditAction.ROLE_STARTED, summary="x")
    with scopes_disabled():
        assert AuditEvent.objects.filter(pk=event.pk, action="role.started").exists()
    assert event.get_action_display() == "Role started"


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["role.started", "no.such_action", None])
def test_audit_record_refuses_anything_but_a_member(action):
    with pytest.raises(TypeError):
        audit_record(actor=None, action=action, summary="x")
    with scopes_disabled():
        assert not AuditEvent.objects.exists()


def test_every_value_fits_the_column_and_none_is_repeated():
    values = [member.value for member in AuditAction]
    assert len(values) == len(set(values))
    assert max(map(len, values)) <= AuditEvent._meta.get_field("action").max_length
