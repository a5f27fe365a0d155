"""The partnerships app's own panels on the dashboard (core/panels.py), registered in apps.py: the banker
school leaving, the agreement ending or expired (for the coordinator and the chair), and the copies of
the agreement waiting for the reader's signature. The dashboard passes them the agreement in force."""

from django.http import HttpRequest

from core.panels import Panel
from partnerships.selectors.constitution import banker_departure
from partnerships.selectors.interests import declarations_due_count
from partnerships.selectors.reminders import RENEWS, agreement_ending, agreement_to_sign, warned_of_expiry
from partnerships.selectors.signing import copies_outstanding, sees_every_copy


def banker_leaving_panel(request: HttpRequest, **kwargs) -> dict | None:
    """The coordinator's warning that the banker school is leaving (or has left): a new one must be chosen.

    Shown to whoever may change the constitution, until a different banker school is chosen or the
    notice is withdrawn."""
    if not request.tenant.has("change_constitution"):
        return None
    departure = banker_departure(request.partnership)
    return None if departure is None else {"departure": departure}


def agreement_ending_panel(request: HttpRequest, agreement=None, **kwargs) -> dict | None:
    """The coordinator's and the chair's warning that the agreement has expired or ends within a month,
    with what to do: renew it, or carry on with the renewal being drafted. The dashboard passes the
    agreement in force it has read; nothing is read for anyone else."""
    if not warned_of_expiry(request.tenant.roles):
        return None
    ending = agreement_ending(request.partnership, agreement)
    if ending is None:
        return None
    return {"ending": ending, "may_renew": request.tenant.has(RENEWS)}


def copies_to_sign_panel(request: HttpRequest, agreement=None, **kwargs) -> dict | None:
    """The copies of the agreement the person may sign now, with links to sign them."""
    to_sign = agreement_to_sign(request.user, request.tenant.roles, request.partnership, term=agreement)
    return None if to_sign is None else {"to_sign": to_sign}


def signatures_outstanding_panel(request: HttpRequest, agreement=None, **kwargs) -> dict | None:
    """For whoever sees every copy: how many schools have still to sign the agreement in force."""
    version = getattr(agreement, "version", None)
    if version is None or not sees_every_copy(request.tenant):
        return None
    waiting = copies_outstanding(version)
    return {"waiting": waiting, "version": version} if waiting else None


def declarations_missing_panel(request: HttpRequest, **kwargs) -> dict | None:
    """For those who keep the register: how many people's declarations of interest are missing or old."""
    if not request.tenant.has("manage_governance"):
        return None
    due = declarations_due_count(request.partnership)
    return {"declarations_due": due} if due else None


PANELS = [
    Panel(
        slot="dashboard_needs",
        name="signatures_outstanding",
        template="partnerships/panels/signatures_outstanding.html",
        context=signatures_outstanding_panel,
        order=30,
    ),
    Panel(
        slot="dashboard_needs",
        name="declarations_missing",
        template="partnerships/panels/declarations_missing.html",
        context=declarations_missing_panel,
        order=40,
    ),
    Panel(
        slot="dashboard_warnings",
        name="banker_leaving",
        template="partnerships/panels/banker_leaving.html",
        context=banker_leaving_panel,
    ),
    # Before the other warnings: the agreement is what the partnership rests on.
    Panel(
        slot="dashboard_warnings",
        name="agreement_ending",
        template="partnerships/panels/agreement_ending.html",
        context=agreement_ending_panel,
        order=10,
    ),
    Panel(
        slot="dashboard_warnings",
        name="agreement_to_sign",
        template="partnerships/panels/agreement_to_sign.html",
        context=copies_to_sign_panel,
        order=20,
    ),
]
