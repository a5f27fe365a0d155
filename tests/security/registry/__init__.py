"""Per-area entries for the isolation and permission tests.

Each module here may define:
- OBJECT_KWARGS: {url kwarg name: callable(tenant) -> value}, making (with scopes disabled) or finding an
  object of that kind in the tenant's partnership;
- ALLOWED: {"namespace:url_name": set of Roles that get 200 on GET}; every other role gets 403.
Modules are discovered automatically, so an area adds its entries without editing shared files.
"""

import importlib
import pkgutil


def _modules():
    for info in pkgutil.iter_modules(__path__):
        yield importlib.import_module(f"{__name__}.{info.name}")


def merged(attribute: str) -> dict:
    result: dict = {}
    for module in _modules():
        for key, value in getattr(module, attribute, {}).items():
            assert key not in result, f"{key} is registered twice (again in {module.__name__})"
            result[key] = value
    return result
