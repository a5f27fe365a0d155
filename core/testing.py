"""Helpers the test suites of every app share: query budgets (a page must run the same number of
queries on a small and a large fixture) and per-area registries merged from a package's modules."""

import importlib
import pkgutil
from collections.abc import Callable

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled


def count_queries(client, url: str, expected_status: int = 200) -> tuple[int, list[str]]:
    """The queries of one GET of `url`, rendered afresh: a budget is for the work a page does when
    nothing of it is kept (core.freshness), which is what a page costs after any write."""
    with override_settings(PAGE_CACHE_SECONDS=0), CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == expected_status, f"{url} -> {response.status_code}"
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def assert_constant_queries(client, url: str, *, grow: Callable[[], None], at_most: int | None = None) -> int:
    """Render `url`, grow the data with `grow()`, render again: the query count must not change.

    `at_most` adds an absolute ceiling, so a page cannot drift to a large constant unnoticed.
    """
    client.get(url)  # warm caches that are per-process (content types, permissions)
    small, _ = count_queries(client, url)
    with scopes_disabled():
        grow()
    large, queries = count_queries(client, url)
    assert small == large, f"{url}: {small} queries on the small fixture, {large} on the large one:\n" + "\n".join(
        queries
    )
    if at_most is not None:
        assert large <= at_most, f"{url}: {large} queries, budget {at_most}:\n" + "\n".join(queries)
    return large


def merged_registry(package: str, attribute: str) -> dict:
    """One dict from the `attribute` dict of every module in `package`, so that each area adds its own
    entries (the URLs it allows a role, the objects its URLs take) without editing a shared file.
    A key registered by two modules is an error."""
    result: dict = {}
    root = importlib.import_module(package)
    for info in pkgutil.iter_modules(root.__path__):
        module = importlib.import_module(f"{package}.{info.name}")
        for key, value in getattr(module, attribute, {}).items():
            if key in result:
                raise AssertionError(f"{key} is registered twice (again in {module.__name__})")
            result[key] = value
    return result
