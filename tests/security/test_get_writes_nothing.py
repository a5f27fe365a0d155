"""A GET never writes (DESIGN.md): every tenant page, opened by a coordinator and by a headteacher, runs
no INSERT, UPDATE or DELETE, except on the bookkeeping tables listed here with why.

New tenant URLs are covered automatically (tests/security/urls.py and its registry build the URLs).
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.security.registry import merged
from tests.security.urls import fill, tenant_routes

# Tables a GET may write, and why that is not the page changing anything.
BOOKKEEPING = {
    "django_session": "the session itself: sign-in state and the idle-timeout clock",
}

# Pages whose registry object is a school the permission matrix gives its school roles (tenant.schools[1]),
# so they show those roles reaching their own school's records; the tenant's headteacher is at
# tenant.schools[0], to whom they do not exist (404). tests/finance/test_statements.py checks that the
# headteacher's own school's statement writes nothing.
# A school's private pages, made for another school than the headteacher's: 404 to them.
OTHER_SCHOOLS_PAGES = set(merged("NOT_FOUND"))

WRITE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.I)


def writes_of(queries) -> list[tuple[str, str]]:
    """(table, sql) for each write outside the bookkeeping tables."""
    found = []
    for query in queries:
        match = WRITE.match(query["sql"])
        if match and match.group(1) not in BOOKKEEPING:
            found.append((match.group(1), query["sql"][:200]))
    return found


def test_the_write_detector_sees_writes():
    queries = [
        {"sql": 'INSERT INTO "partnerships_term" ("partnership_id") VALUES (1)'},
        {"sql": 'UPDATE "partnerships_membership" SET "left" = NULL'},
        {"sql": 'DELETE FROM "accounts_auditevent" WHERE 1'},
        {"sql": 'UPDATE "django_session" SET "session_data" = \'x\''},
        {"sql": 'SELECT "partnerships_term"."id" FROM "partnerships_term"'},
        {"sql": 'SAVEPOINT "s1"'},
    ]
    assert [table for table, _ in writes_of(queries)] == [
        "partnerships_term",
        "partnerships_membership",
        "accounts_auditevent",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator", "headteacher"])
def test_no_tenant_page_writes_on_get(tenant_a, who):
    client = Client()
    client.force_login(getattr(tenant_a, who))
    routes = tenant_routes()
    assert routes
    offenders, opened = [], 0
    for route in routes:
        url = fill(route, slug_tenant=tenant_a, object_tenant=tenant_a)  # may create the object it names
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        hidden = (404,) if who == "headteacher" and route.name in OTHER_SCHOOLS_PAGES else ()
        assert response.status_code in (200, 302, 403, *hidden), (route.name, response.status_code)
        opened += response.status_code == 200
        offenders += [f"{route.name} ({url}) writes {table}: {sql}" for table, sql in writes_of(captured)]
    assert not offenders, "A GET must never write:\n" + "\n".join(offenders)
    assert opened >= (len(routes) // 2 if who == "coordinator" else 5)  # the pages really rendered
