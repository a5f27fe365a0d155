"""Page parts kept until the data they show changes.

A dashboard is read far more often than anything on it changes, and rendering its panels is most of its
cost, so `kept_part` renders them once and keeps the HTML under a key that names the version of the
data it was made from. Nothing has to remember to invalidate it:

- Every INSERT, UPDATE or DELETE the app sends, through a model's save, `QuerySet.update`,
  `bulk_create` or raw SQL, in a request, a task or a command, is seen by an execute wrapper on every
  database connection (`watch_writes`) and replaces a version token. A write to a partnership's own
  rows (a scoped model's table) under that partnership's scope replaces that partnership's token; any
  other write (shared tables such as users and schools, or with scopes disabled) replaces the
  installation's token, which every key names as well.
- The token is replaced when the statement runs and again when its transaction commits, so a part
  rendered from the old rows while the transaction was open is never kept under the new version.
- Time changes pages too ("due", "overdue", "next"): the key names today's date and a slot of
  PAGE_CACHE_SECONDS on the clock, and a kept part expires with its slot. (So does a write from
  outside the app, such as an administrator's psql session, which no wrapper sees.)

Parts and versions live in the "pages" cache, apart from the rate limits in the default one. It must
be one that every writing process shares: Redis whenever REDIS_URL is set (the worker then shares it
too); the in-process default serves the single-process development server, where tasks run in process,
and without Redis in production keeping is off (PAGE_CACHE_SECONDS defaults to 0; 0 turns it off
anywhere). If the cache fails, pages are rendered afresh and writes go on; it is left alone for
RETRY_AFTER_SECONDS, so a Redis that hangs costs one short timeout now and then. A write made while it
was failing may leave a part from before the failure shown until its slot ends.
"""

import hashlib
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from functools import cache

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_scopes.state import get_scope

logger = logging.getLogger(__name__)

INSTALLATION = "installation"
# Tables whose rows no page part shows: a session written once a minute must not empty the cache.
IGNORED_TABLES = frozenset({"django_session"})
# INSERT (SQLite's "INSERT OR IGNORE" too), UPDATE, DELETE and TRUNCATE: the first table named.
_WRITE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+[`"]?(\w+)', re.IGNORECASE
)


def _token_key(name) -> str:
    return f"freshness:version:{name}"


@cache
def _scoped_tables() -> frozenset[str]:
    """The tables of models whose rows belong to one partnership (a django-scopes manager)."""
    return frozenset(
        model._meta.db_table for model in apps.get_models() if hasattr(model._default_manager, "with_scopes_disabled")
    )


def _partnership_ids(value) -> list | None:
    values = value if isinstance(value, list | tuple) else [value]
    ids = [getattr(v, "pk", v) for v in values]
    return ids if ids and all(isinstance(i, int) for i in ids) else None


def versions_written(table: str) -> list:
    """Whose version a write to `table` changes, now: the scope's partnership(s) for its own rows,
    otherwise the installation's."""
    current = get_scope()
    if table in _scoped_tables() and current.get("_enabled", True) and "partnership" in current:
        ids = _partnership_ids(current["partnership"])
        if ids is not None:
            return ids
    return [INSTALLATION]


# After the cache fails, it is left alone for this long (in this process): a Redis that has stopped
# answering costs one short timeout now and then, not one on every write and every look.
RETRY_AFTER_SECONDS = 30.0
_cache_down_until = 0.0


def _pages():
    return caches["pages"]


def _cache_call(what: str, call: Callable, default=None):
    """`call()` on the pages cache, or `default` while it is failing (logged once per failure)."""
    global _cache_down_until
    if time.monotonic() < _cache_down_until:
        return default
    try:
        return call()
    except Exception:  # an unreachable cache must not fail a write or a page
        _cache_down_until = time.monotonic() + RETRY_AFTER_SECONDS
        logger.warning("The pages cache failed to %s; pages are rendered afresh for a while", what, exc_info=True)
        return default


def _replace(names: Iterable) -> None:
    tokens = {_token_key(name): uuid.uuid4().hex for name in names}
    _cache_call("record a data version", lambda: _pages().set_many(tokens, timeout=None))


class _CommitBump:
    """The versions a transaction's writes changed, replaced again once it commits: one call however
    many statements it ran."""

    def __init__(self):
        self.names: set = set()

    def __call__(self):
        _replace(self.names)


def _commit_bump(connection) -> _CommitBump:
    """This transaction's bump: registered with its first write (and dropped with a savepoint rolled
    back, as every on_commit callback is; the next write registers another)."""
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _CommitBump):
            return callback
    bump = _CommitBump()
    connection.on_commit(bump, robust=True)
    # First in line: Django runs no callback after one that raises, and a callback registered before
    # this transaction's first write (a file to delete, a task to send) may raise once committed.
    connection.run_on_commit.insert(0, connection.run_on_commit.pop())
    return bump


def _changed_nothing(sql: str, cursor) -> bool:
    """An UPDATE or DELETE that matched no row (a sweep that found nothing to do) changes no page.
    (An INSERT's count is not trusted: SQLite counts an INSERT ... RETURNING only once it is read.)"""
    return sql.lstrip()[:6].upper() in ("UPDATE", "DELETE") and getattr(cursor, "rowcount", -1) == 0


def watch_writes(execute, sql, params, many, context):
    """The execute wrapper (installed on every connection by core.apps): a write replaces the versions
    it changes, at once (for what this connection reads before it commits) and again when its
    transaction commits (for everyone else)."""
    result = execute(sql, params, many, context)
    match = _WRITE.match(sql) if isinstance(sql, str) else None
    if match and match[1] not in IGNORED_TABLES and not _changed_nothing(sql, context["cursor"]):
        # A TRUNCATE may name many tables, of many partnerships: the installation's version.
        names = [INSTALLATION] if sql.lstrip()[:8].upper() == "TRUNCATE" else versions_written(match[1])
        _replace(names)
        connection = context["connection"]
        if connection.in_atomic_block:
            _commit_bump(connection).names.update(names)
    return result


def install(sender=None, connection=None, **kwargs) -> None:
    """connection_created receiver: watch this connection's writes (once, however often it reconnects)."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def data_version(partnership_id: int) -> str | None:
    """The version of the installation's and the partnership's data, or None if the cache is down."""
    keys = [_token_key(INSTALLATION), _token_key(partnership_id)]

    def read():
        found = _pages().get_many(keys)
        if len(found) < len(keys):
            for key in keys:  # first read since the cache started (or evicted): any token will do, once
                if key not in found:
                    _pages().add(key, uuid.uuid4().hex, timeout=None)
            found = _pages().get_many(keys)
        return ".".join(found[key] for key in keys) if len(found) == len(keys) else None

    return _cache_call("read the data version", read)


def kept_part(*, partnership_id: int, parts: tuple, render: Callable[[], str]) -> SafeString:
    """The HTML `render()` makes, kept until the partnership's data or the day or the clock's slot
    changes. `parts` names everything else the HTML depends on (the page, the reader and their roles).
    `render` must read what it shows itself, after this has read the version: a row loaded earlier
    could predate a write committed in between, and be kept under that write's version."""
    seconds = settings.PAGE_CACHE_SECONDS
    version = data_version(partnership_id) if seconds else None
    if version is None:
        return mark_safe(render())  # rendered (and escaped) by its template  # nosec B308 B703
    slot = int(timezone.now().timestamp() // seconds)
    name = repr((parts, partnership_id, version, timezone.localdate().isoformat(), slot))
    key = "freshness:part:" + hashlib.sha256(name.encode()).hexdigest()
    html = _cache_call("read a kept page part", lambda: _pages().get(key))
    if html is None:
        html = str(render())
        _cache_call("keep a page part", lambda: _pages().set(key, html, timeout=seconds))
    return mark_safe(html)  # rendered (and escaped) by its template  # nosec B308 B703
