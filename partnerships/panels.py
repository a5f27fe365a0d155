"""The partnerships app's own panels on the dashboard (core/panels.py), registered in apps.py."""

from django.http import HttpRequest

from core.panels import Panel
from partnerships.selectors.constitution import banker_departure


def banker_leaving_panel(request: HttpRequest) -> dict | None:
    """The coordinator's warning that the banker school is leaving (or has left): a new one must be chosen.

    Shown to whoever may change the constitution, until a different banker school is chosen or the
    notice is withdrawn."""
    if not request.tenant.has("change_constitution"):
        return None
    departure = banker_departure(request.partnership)
    return None if departure is None else {"departure": departure}


PANELS = [
    Panel(
        slot="dashboard_warnings",
        name="banker_leaving",
        template="partnerships/panels/banker_leaving.html",
        context=banker_leaving_panel,
    ),
]
