"""The demo partnerships of the seed agreements, one module per part; load_demo runs them.

Apps later in the dependency order (meetings, finance, ...) add their own demo data by registering a
loader here from their AppConfig.ready(), as they add page panels, so this app never imports them.
"""

from collections.abc import Callable

# name -> load(partnership, spec, admin), run after this app's own loaders, in registration order.
_later_loaders: dict[str, Callable] = {}


def register_loader(name: str, load: Callable) -> None:
    _later_loaders[name] = load


def later_loaders() -> list[Callable]:
    return list(_later_loaders.values())
