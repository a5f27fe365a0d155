"""The registry of page panels: how an app later in the dependency order shows something on a page of
an app earlier in it (meetings on the dashboard, credits on a school's page) without the earlier app
importing the later one, as pretix's plugins add to its pages through signals.

An app registers its panels in its AppConfig.ready():

    panels.register(Panel(slot="dashboard", name="meetings", template="meetings/panels/next.html",
                          context=next_meetings_panel, order=10))

and the page's template renders whatever is registered for its slot: `{% panels "dashboard" %}`.
A panel's context function takes the request and the page's keyword arguments (school=...) and
returns the template's context, or None to show nothing (no permission, nothing to show). It must
read through selectors with their joins: a page's query count may not grow with the data.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

# "dashboard_warnings" sits at the top of the dashboard, above everything else: what needs acting on.
# "dashboard_needs" is the dashboard's "Needs you now" list: each panel renders <li> items, a count and a
# link to where the work is done, for the person's own roles (a dashboard summarises and links).
# "dashboard_charts" is the dashboard's "At a glance": each panel renders a heading, one chart
# (core/charts.py) and its figures as text in a details component, for the person's own roles.
# "constitution_money" adds summary-list rows to the constitution page's Money section.
SLOTS = frozenset(
    {"dashboard", "dashboard_warnings", "dashboard_needs", "dashboard_charts", "school", "constitution_money"}
)


@dataclass(frozen=True)
class Panel:
    slot: str
    name: str
    template: str
    context: Callable[..., dict | None]
    order: int = 100


_registry: dict[str, dict[str, Panel]] = {slot: {} for slot in SLOTS}


def register(panel: Panel) -> Panel:
    """Add a panel to its slot. Registering the same name again replaces it (app reloads in tests)."""
    if panel.slot not in SLOTS:
        raise ValueError(f"No page slot called {panel.slot!r}: one of {sorted(SLOTS)}")
    _registry[panel.slot][panel.name] = panel
    return panel


def unregister(slot: str, name: str) -> None:
    _registry[slot].pop(name, None)


def panels_for(slot: str) -> list[Panel]:
    return sorted(_registry[slot].values(), key=lambda panel: (panel.order, panel.name))


def panel_contexts(request: HttpRequest, slot: str, **kwargs) -> list[tuple[Panel, dict]]:
    """Each panel of the slot that has something to show this person, with its context, in order."""
    shown = []
    for panel in panels_for(slot):
        context = panel.context(request, **kwargs)
        if context is not None:
            shown.append((panel, context))
    return shown
