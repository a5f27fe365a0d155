import pytest
from django.core import mail
from django_scopes import scopes_disabled

from accounts.models import AuditEvent, User
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_and_password_is_audited(tenant_a, client):
    response = client.post("/accounts/login/", {"login": tenant_a.coordinator.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/", follow=True).redirect_chain[-1][0] == f"/p/{tenant_a.slug}/"
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="account.signed_in", actor=tenant_a.coordinator).exists()


def test_a_wrong_password_is_refused_with_a_message(tenant_a, client):
    response = client.post("/accounts/login/", {"login": tenant_a.coordinator.email, "password": "wrong"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_there_is_no_open_sign_up(client):
    response = client.post(
        "/accounts/signup/", {"email": "new@example.org", "password1": "x" * 14, "password2": "x" * 14}
    )
    assert not User.objects.filter(email="new@example.org").exists()
    assert 'name="password1"' not in response.content.decode()
    assert 'name="password1"' not in client.get("/accounts/signup/").content.decode()


def test_password_reset_does_not_reveal_whether_an_account_exists(tenant_a, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/accounts/password/reset/", {"email": tenant_a.coordinator.email})
        unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [m.to for m in mail.outbox] == [[tenant_a.coordinator.email], ["nobody@example.org"]]
    assert "Reset your password" in mail.outbox[0].subject == mail.outbox[1].subject


def test_the_admin_signs_in_through_the_same_sign_in_page(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    staff_without_superuser = UserFactory(is_staff=True)
    client.force_login(staff_without_superuser)
    assert client.get("/admin/").status_code in (302, 403)
    assert client.get("/admin/", follow=True).status_code == 403


def test_the_admin_is_for_superusers(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/partnerships/roleassignment/").status_code == 200


def test_idle_sessions_end(tenant_a, client, settings):
    import time
    from unittest import mock

    client.post("/accounts/login/", {"login": tenant_a.coordinator.email, "password": PASSWORD})
    assert client.get(f"/p/{tenant_a.slug}/").status_code == 200
    later = time.time() + settings.SESSION_IDLE_SECONDS + 5
    with mock.patch("accounts.middleware.time.time", return_value=later):
        response = client.get(f"/p/{tenant_a.slug}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get(f"/p/{tenant_a.slug}/").status_code == 302


def test_the_audit_log_is_append_only(tenant_a):
    with scopes_disabled():
        event = AuditEvent.objects.first()
        event.summary = "rewritten"
        with pytest.raises(TypeError):
            event.save()
        with pytest.raises(TypeError):
            event.delete()
        with pytest.raises(TypeError):
            AuditEvent.objects.all().delete()
        with pytest.raises(TypeError):
            AuditEvent.objects.update(summary="x")


def test_repeated_failed_sign_ins_are_rate_limited(tenant_a, client):
    for _ in range(5):
        client.post("/accounts/login/", {"login": tenant_a.coordinator.email, "password": "wrong"})
    response = client.post("/accounts/login/", {"login": tenant_a.coordinator.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sessions_end_at_their_absolute_lifetime_even_when_active(tenant_a, client, settings):
    import time
    from unittest import mock

    client.post("/accounts/login/", {"login": tenant_a.coordinator.email, "password": PASSWORD})
    start = time.time()
    assert client.get(f"/p/{tenant_a.slug}/").status_code == 200
    # Active every 20 minutes (never idle), until past the absolute lifetime.
    step = min(settings.SESSION_IDLE_SECONDS - 60, 20 * 60)
    moment = start
    while moment - start <= settings.SESSION_COOKIE_AGE - step:
        moment += step
        with mock.patch("accounts.middleware.time.time", return_value=moment):
            assert client.get(f"/p/{tenant_a.slug}/").status_code == 200
    with mock.patch("accounts.middleware.time.time", return_value=start + settings.SESSION_COOKIE_AGE + 1):
        response = client.get(f"/p/{tenant_a.slug}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
