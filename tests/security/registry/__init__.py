"""Per-area entries for the isolation and permission tests.

Each module here may define:
- OBJECT_KWARGS: {url kwarg name: callable(tenant) -> value}, making (with scopes disabled) or finding an
  object of that kind in the tenant's partnership;
- ALLOWED: {"namespace:url_name": set of Roles that get 200 on GET}; every other role gets 403;
- PLAIN_KWARGS: {url kwarg name: why it names no object} (a month to show, not another partnership's row).
Modules are discovered automatically, so an area adds its entries without editing shared files.
"""

from core.testing import merged_registry


def merged(attribute: str) -> dict:
    return merged_registry(__name__, attribute)
