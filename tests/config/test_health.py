import pytest

pytestmark = pytest.mark.django_db


def test_healthy(client, settings):
    settings.REDIS_URL = None
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "in-process"}


def test_broker_down_is_503(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy" and body["broker"].startswith("error") and body["database"] == "ok"


def test_real_broker_is_reported_when_configured(client, settings):
    import os

    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: no Redis to check against (CI sets it)")
    settings.REDIS_URL = os.environ["REDIS_URL"]
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["broker"] == "ok"


def test_database_down_is_503(client, monkeypatch):
    from django.db import OperationalError

    import config.health

    def broken_cursor():
        raise OperationalError("connection refused")

    monkeypatch.setattr(config.health.connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "error: OperationalError"


def test_nul_characters_anywhere_are_refused_with_a_page_not_an_error(client, tenant_a, client_for):
    signed_in = client_for(tenant_a.coordinator)
    for response in (
        signed_in.get(f"/p/{tenant_a.slug}/members/?q=%00"),
        signed_in.get(f"/p/{tenant_a.slug}/membership/join/?q=a%00b"),
        signed_in.post(f"/p/{tenant_a.slug}/people/invite/", {"full_name": "A\x00B", "email": "a@example.org"}),
        client.post("/accounts/login/", {"login": "x\x00@example.org", "password": "y"}),
    ):
        assert response.status_code == 400
        assert "could not read what was sent" in response.content.decode()
