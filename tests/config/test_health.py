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
