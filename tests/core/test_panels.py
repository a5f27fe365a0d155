"""The registry of page panels: a later app shows something on an earlier app's page."""

import copy

import pytest

from core import panels
from core.panels import Panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel_templates(tmp_path, settings):
    (tmp_path / "panel_test").mkdir()
    (tmp_path / "panel_test" / "dashboard.html").write_text('<p class="test-panel">Next meeting: {{ title }}</p>')
    (tmp_path / "panel_test" / "school.html").write_text('<p class="test-panel">Credits of {{ school.name }}</p>')
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates


@pytest.fixture
def registered():
    """Registers test panels, and afterwards puts back whatever the apps had registered under their names."""
    replaced = []

    def _register(panel: Panel) -> Panel:
        replaced.append((panel.slot, panel.name, panels._registry.get(panel.slot, {}).get(panel.name)))
        return panels.register(panel)

    yield _register
    for slot, name, previous in reversed(replaced):
        panels.unregister(slot, name)
        if previous is not None:
            panels.register(previous)


def test_a_registered_panel_shows_on_the_dashboard_with_its_context(panel_templates, registered, tenant_a, client_for):
    registered(Panel("dashboard", "meetings", "panel_test/dashboard.html", lambda request, **page: {"title": "Spring"}))
    url = f"/p/{tenant_a.partnership.slug}/"
    assert "Next meeting: Spring" in client_for(tenant_a.coordinator).get(url).content.decode()


def test_a_panel_that_returns_none_shows_nothing_to_that_person(panel_templates, registered, tenant_a, client_for):
    def only_coordinators(request, **page):
        return {"title": "Private"} if request.tenant.has("manage_people") else None

    registered(Panel("dashboard", "private", "panel_test/dashboard.html", only_coordinators))
    url = f"/p/{tenant_a.partnership.slug}/"
    assert "Private" in client_for(tenant_a.coordinator).get(url).content.decode()
    assert "Private" not in client_for(tenant_a.headteacher).get(url).content.decode()


def test_a_school_panel_gets_the_pages_school(panel_templates, registered, tenant_a, client_for):
    registered(Panel("school", "credits", "panel_test/school.html", lambda request, school, **page: {"school": school}))
    school = tenant_a.schools[0]
    url = f"/p/{tenant_a.partnership.slug}/members/{school.urn}/"
    assert f"Credits of {school.name}" in client_for(tenant_a.coordinator).get(url).content.decode()


def test_panels_render_in_order_and_a_name_registered_again_replaces_the_first(registered):
    registered(Panel("dashboard", "b", "x.html", lambda request: {}, order=20))
    registered(Panel("dashboard", "a", "x.html", lambda request: {}, order=10))
    registered(Panel("dashboard", "b", "y.html", lambda request: {}, order=5))
    ours = [(p.name, p.template) for p in panels.panels_for("dashboard") if p.template in ("x.html", "y.html")]
    assert ours == [("b", "y.html"), ("a", "x.html")]


def test_an_unknown_slot_is_refused():
    with pytest.raises(ValueError, match="No page slot called 'sidebar'"):
        panels.register(Panel("sidebar", "x", "x.html", lambda request: {}))
