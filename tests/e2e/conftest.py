"""The browser harness: Playwright on Debian's Chromium against Django's live server.

Every e2e test gets ``pytest.mark.e2e`` and runs after all other tests. Pages are opened through
``visit`` (or the ``site`` fixture), links through ``follow`` and forms through ``submit``; each
runs axe-core on the page that loads, checks the page does not scroll sideways and carries no
government branding, and saves a full-page screenshot under /tmp/shots/e2e/<test>/. The ``page``
fixture fails a test that loaded a page without checking it.

Playwright's sync API keeps an event loop running in the main thread, so Django's guard against
database access from async code (test bodies and fixtures build data with the ORM) must be relaxed
with DJANGO_ALLOW_ASYNC_UNSAFE. It is set in os.environ when the first browser test starts, not
when this file is imported: set at import it leaks into every subprocess other tests start, and
``manage.py check --deploy`` rightly fails on it (async.E001). Running the browser tests last keeps
the variable, and Playwright's loop, away from every other test.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.factories.accounts import PASSWORD

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(settings.BASE_DIR) / "static" / "vendor" / "axe" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SHOTS = Path(os.environ.get("E2E_SHOTS", "/tmp/shots/e2e"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
HERE = Path(__file__).resolve().parent
# pytest-base-url (a pytest-playwright dependency) trips a pytest deprecation warning of its own.
BASE_URL_WARNING = "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning"


def _is_e2e(item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _is_e2e(item):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.filterwarnings(BASE_URL_WARNING))
    items.sort(key=_is_e2e)  # stable: browser tests last, each group in its own order


@pytest.fixture(scope="session", autouse=True)
def _django_async_unsafe():
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    yield
    if previous is None:
        os.environ.pop(ASYNC_UNSAFE, None)
    else:
        os.environ[ASYNC_UNSAFE] = previous


# --- Browser and context -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium, or set E2E_CHROMIUM")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": browser_type_launch_args.get("headless", True),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # bypass_csp lets axe be injected as an inline script; test_csp.py proves the app itself
    # runs without any CSP violation in a context that does not bypass it.
    return {
        **browser_context_args,
        "bypass_csp": True,
        "viewport": DESKTOP,
        "locale": "en-GB",
        "timezone_id": "Europe/London",
    }


@pytest.fixture(autouse=True)
def _e2e_reset(request):
    """Fresh rate-limit counters (allauth keeps them in the cache) and a fresh screenshot folder."""
    cache.clear()
    folder = SHOTS / _slug(request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    request.node.e2e_shots = folder


@pytest.fixture
def page(context, request):
    """A page that must be checked (axe, overflow, screenshot) after every document it loads."""
    page = context.new_page()
    page.set_default_timeout(10_000)
    state = {"loads": 0, "checked": 0, "unchecked": [], "errors": []}
    page.e2e_state = state
    page.e2e_shots = request.node.e2e_shots
    page.e2e_count = 0

    def on_load(p):
        if state["loads"] > state["checked"] and state["last_url"] not in state["unchecked"]:
            state["unchecked"].append(state["last_url"])
        state["loads"] += 1
        state["last_url"] = p.url

    state["last_url"] = None
    page.on("load", on_load)
    page.on("pageerror", lambda error: state["errors"].append(str(error)))
    yield page
    if state["loads"] > state["checked"] and state["last_url"] not in state["unchecked"]:
        state["unchecked"].append(state["last_url"])
    if not getattr(request.node, "rep_call_failed", False):  # a failed test already says why
        assert not state["unchecked"], (
            "These pages loaded without an accessibility check (use visit() or submit()): "
            + ", ".join(map(str, state["unchecked"]))
        )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call_failed = report.failed
    return report


# --- Checks --------------------------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "page"


def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS.relative_to(settings.BASE_DIR)} is missing: run `make assets` first")
    return AXE_JS.read_text(encoding="utf-8")


def assert_no_axe_violations(page) -> None:
    """Run axe-core (WCAG 2.2 A/AA and best practice) on the page and fail on any violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')),
            }));
        }""",
        AXE_TAGS,
    )
    if violations:
        lines = [f"axe found {len(violations)} violation(s) on {page.url}:"]
        for v in violations:
            lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
            lines.extend(f"      {target}" for target in v["nodes"])
        pytest.fail("\n".join(lines), pytrace=False)


def assert_no_horizontal_overflow(page) -> None:
    widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert widths["scroll"] <= widths["inner"], (
        f"{page.url} scrolls sideways: content is {widths['scroll']}px wide in a {widths['inner']}px window"
    )


def assert_unbranded(page) -> None:
    """Commonroom is not a government service: no crown, GOV.UK logotype or GDS Transport."""
    found = page.evaluate(
        """() => {
            const bad = document.querySelector(
                '.govuk-header__logotype, .govuk-logo, .govuk-header__logo-dot, '
                + '.govuk-footer__crown, .govuk-footer__copyright-logo, img[src*="crest"], img[src*="crown"]');
            const fonts = [document.body, document.querySelector('h1')].filter(Boolean)
                .map(el => getComputedStyle(el).fontFamily).join(' ');
            const frame = [...document.querySelectorAll('header, footer')].map(el => el.innerText).join(' ');
            return {element: bad ? bad.outerHTML.slice(0, 120) : null, fonts: fonts, text: /GOV\\.UK/.test(frame)};
        }"""
    )
    assert found["element"] is None, f"government branding on {page.url}: {found['element']}"
    assert "GDS Transport" not in found["fonts"], f"GDS Transport font on {page.url}"
    assert not found["text"], f"the GOV.UK name appears in the header or footer of {page.url}"


def screenshot(page, name: str | None = None) -> Path:
    page.e2e_count += 1
    page.e2e_shots.mkdir(parents=True, exist_ok=True)
    label = name or (page.url.split("://", 1)[-1].split("/", 1)[-1] or "home")
    path = page.e2e_shots / f"{page.e2e_count:02d}-{_slug(label)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def check_page(page, name: str | None = None) -> Path:
    """Everything every page must pass; returns the screenshot's path."""
    state = page.e2e_state
    state["checked"] = state["loads"]
    path = screenshot(page, name)  # first, so that a failing page can be looked at
    assert not state["errors"], f"JavaScript errors on {page.url}: {state['errors']}"
    title = page.title()
    assert title.endswith("Commonroom"), f"{page.url} has the title {title!r}"
    assert_unbranded(page)
    assert_no_axe_violations(page)
    assert_no_horizontal_overflow(page)
    return path


def visit(page, url: str, *, status: int = 200, name: str | None = None):
    """Open a URL, expect the final response's status, and check the page."""
    response = page.goto(url)
    assert response is not None, f"no response for {url}"
    assert response.status == status, f"{url} answered {response.status}, expected {status}"
    check_page(page, name)
    return response


def submit(page, button: str = "", *, status: int | None = None, name: str | None = None, locator=None):
    """Press a form's submit button (by its accessible name), wait for the page it leads to, check it."""
    target = locator if locator is not None else page.get_by_role("button", name=button, exact=True)
    with page.expect_navigation() as navigation:
        target.click()
    response = navigation.value
    if status is not None:
        assert response is not None and response.status == status, (
            f"{page.url} answered {response and response.status}, expected {status}"
        )
    check_page(page, name)
    return response


def follow(page, link: str, *, status: int | None = 200, name: str | None = None):
    """Click a link (by its accessible name) and check the page it opens."""
    return submit(page, status=status, name=name, locator=page.get_by_role("link", name=link, exact=True))


def fill_date(page, legend: str, day) -> None:
    """Type a date into the GOV.UK date input whose legend is `legend` (day, month and year boxes)."""
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def date_boxes(page, legend: str) -> tuple[str, str, str]:
    group = page.get_by_role("group", name=legend)
    return tuple(group.get_by_label(part).input_value() for part in ("Day", "Month", "Year"))


def login(page, live_server, email: str, password: str = PASSWORD, *, expect_url: str | None = None):
    """Sign in through the real form; returns the response of the page it lands on."""
    visit(page, f"{live_server.url}/accounts/login/", name="sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    response = submit(page, "Sign in", status=200)
    if expect_url is not None:
        assert page.url == f"{live_server.url}{expect_url}", f"signed in to {page.url}, not {expect_url}"
    return response


class Site:
    """The helpers above bound to one page and the live server, addressed by path."""

    def __init__(self, page, live_server):
        self.page = page
        self.live_server = live_server

    def url(self, path: str) -> str:
        return path if "://" in path else f"{self.live_server.url}{path}"

    @property
    def path(self) -> str:
        return self.page.url.removeprefix(self.live_server.url)

    def visit(self, path: str, **kwargs):
        return visit(self.page, self.url(path), **kwargs)

    def submit(self, button: str = "", **kwargs):
        return submit(self.page, button, **kwargs)

    def follow(self, link: str, **kwargs):
        return follow(self.page, link, **kwargs)

    def login(self, user_or_email, password: str = PASSWORD, **kwargs):
        email = getattr(user_or_email, "email", user_or_email)
        return login(self.page, self.live_server, email, password, **kwargs)

    def check(self, name: str | None = None) -> Path:
        return check_page(self.page, name)

    def screenshot(self, name: str | None = None) -> Path:
        return screenshot(self.page, name)


@pytest.fixture
def site(page, live_server) -> Site:
    return Site(page, live_server)
