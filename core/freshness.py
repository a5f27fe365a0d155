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

The cache must be one that every writing process shares: Redis whenever REDIS_URL is set (the worker
then shares it too); the in-process default serves the single-process development server, where tasks
run in process. PAGE_CACHE_SECONDS=0 turns keeping off. If the cache cannot be reached, parts are
rendered afresh rather than failing the page.
"""

import hashlib
import logging
import re
import uuid
from collections.abc import Callable, Iterable
from functools import cache, partial

from django.apps import apps
from django.conf import settings
from django.core.cache import cache as default_cache
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


def _replace(names: Iterable) -> None:
    try:
        default_cache.set_many({_token_key(name): uuid.uuid4().hex for name in names}, timeout=None)
    except Exception:  # an unreachable cache must not fail a write; parts then expire with their slot
        logger.warning("Could not record a data version in the cache", exc_info=True)


def _changed_nothing(sql: str, cursor) -> bool:
    """An UPDATE or DELETE that matched no row (a sweep that found nothing to do) changes no page.
    (An INSERT's count is not trusted: SQLite counts an INSERT ... RETURNING only once it is read.)"""
    return sql.lstrip()[:6].upper() in ("UPDATE", "DELETE") and getattr(cursor, "rowcount", -1) == 0


def watch_writes(execute, sql, params, many, context):
    """The execute wrapper (installed on every connection by core.apps): a write replaces the versions
    it changes, at once and again when its transaction commits."""
    result = execute(sql, params, many, context)
    match = _WRITE.match(sql) if isinstance(sql, str) else None
    if match and match[1] not in IGNORED_TABLES and not _changed_nothing(sql, context["cursor"]):
        # A TRUNCATE may name many tables, of many partnerships: the installation's version.
        names = [INSTALLATION] if sql.lstrip()[:8].upper() == "TRUNCATE" else versions_written(match[1])
        _replace(names)
        connection = context["connection"]
        if connection.in_atomic_block:
            connection.on_commit(partial(_replace, names))
    return result


def install(sender=None, connection=None, **kwargs) -> None:
    """connection_created receiver: watch this connection's writes (once, however often it reconnects)."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def data_version(partnership_id: int) -> str | None:
    """The version of the installation's and the partnership's data, or None if the cache is down."""
    keys = [_token_key(INSTALLATION), _token_key(partnership_id)]
    try:
        found = default_cache.get_many(keys)
        for key in keys:
            if key not in found:  # first read since the cache started: any token will do, once
                default_cache.add(key, uuid.uuid4().hex, timeout=None)
        if len(found) < len(keys):
            found = default_cache.get_many(keys)
    except Exception:
        logger.warning("Could not read the data version from the cache", exc_info=True)
        return None
    if len(found) < len(keys):
        return None
    return ".".join(found[key] for key in keys)


def kept_part(*, partnership_id: int, parts: tuple, render: Callable[[], str]) -> SafeString:
    """The HTML `render()` makes, kept until the partnership's data or the day or the clock's slot
    changes. `parts` names everything else the HTML depends on (the page, the reader, the query)."""
    seconds = settings.PAGE_CACHE_SECONDS
    version = data_version(partnership_id) if seconds else None
    if version is None:
        return mark_safe(render())  # rendered (and escaped) by its template  # nosec B308 B703
    slot = int(timezone.now().timestamp() // seconds)
    name = repr((parts, partnership_id, version, timezone.localdate().isoformat(), slot))
    key = "freshness:part:" + hashlib.sha256(name.encode()).hexdigest()
    try:
        html = default_cache.get(key)
    except Exception:
        logger.warning("Could not read a kept page part from the cache", exc_info=True)
        html = None
    if html is None:
        html = str(render())
        try:
            default_cache.set(key, html, timeout=seconds)
        except Exception:
            logger.warning("Could not keep a page part in the cache", exc_info=True)
    return mark_safe(html)  # rendered (and escaped) by its template  # nosec B308 B703
