"""Benchmark the partnership dashboard and people pages for a large tenant.

Run from the repository root:

    .venv/bin/python benchmarks/dashboard_people.py [--schools 200 --users 2000 --repeat 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/dashboard_people.py

It builds a throwaway database (a temporary SQLite file, or a separate test database on the server
named by DATABASE_URL), fills one partnership with many member schools and people and a year of
business (benchmarks/year_of_business.py: meetings with attendance, contributions, credits), then times
GET requests through django.test.Client, signed in as a coordinator, for:

    floor      /p/<slug>/floor/   the cheapest tenant page (benchmarks/urls_floor.py)
    dashboard  /p/<slug>/         as the coordinator, and as each other role's person (head, adviser,
                                  governor, chair of governors, chair): every role's dashboard
    people     /p/<slug>/people/

and counts the SQL queries of each. The goal is every role's dashboard within 2x of the floor in the
same run: a dashboard summarises and links, it does not render every member. Each dashboard is timed
twice: as readers see it (its panels kept until the data changes, core/freshness.py) and rendered
afresh ("fresh"), which is what the first look after any write costs.
See benchmarks/README.md for how to read the table.
Exits 1 if any response is not 200. It asserts nothing about time.
"""

import argparse
import datetime
import gc
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEV_DATABASE = REPO_ROOT / "var" / "commonroom.sqlite3"
FLOOR_URLCONF = "benchmarks.urls_floor"
VIEWS = ("floor", "layout", "dashboard", "people")
# The dashboard again, signed in as someone holding each of these roles in the big partnership.
DASHBOARD_ROLES = ("headteacher", "adviser", "governor", "chair_of_governors", "chair")

FIRST_NAMES = (
    "Amelia Ava Ben Charlie Chloe Daniel Ella Ethan Freya George Grace Harry Isla Jack Jacob Leo "
    "Lily Mia Noah Olivia Oscar Priya Ruby Sam Sofia Thomas Zara Aisha Callum Fatima Hamza Megan"
).split()
LAST_NAMES = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans "
    "Walker White Roberts Green Hall Wood Jackson Clarke Khan Hughes Edwards Turner Hill Moore Ward"
).split()
PLACES = (
    "Ashford Bideford Brixham Crediton Dawlish Exmouth Honiton Ilfracombe Kingsbridge Lynton "
    "Newton Okehampton Paignton Seaton Sidmouth Tavistock Tiverton Torrington Totnes Woolacombe"
).split()
SCHOOL_KINDS = ("Primary", "Church of England Primary", "Community College", "Infant", "Junior", "Academy")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=200, help="current member schools (default 200)")
    parser.add_argument("--users", type=int, default=2000, help="people with a role (default 2000)")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="random seed for the data (default 1)")
    parser.add_argument(
        "--no-year", action="store_true", help="leave out the year of meetings, money and credits (people only)"
    )
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one request per page")
    args = parser.parse_args(argv)
    if args.schools < 1 or args.users < 1 or args.repeat < 1 or args.warmup < 0:
        parser.error("--schools, --users and --repeat must be at least 1; --warmup at least 0")
    return args


def configure_django() -> Path | None:
    """Set up Django on a throwaway database. Returns the temporary directory for SQLite, if any."""
    os.environ["COMMONROOM_TESTING"] = "true"  # no SECRET_KEY needed, fast password hashing
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    tmpdir = None
    if not os.environ.get("DATABASE_URL"):
        tmpdir = Path(tempfile.mkdtemp(prefix="commonroom-benchmark-"))
        os.environ["DATABASE_URL"] = f"sqlite:///{tmpdir / 'benchmark.sqlite3'}"
    # WhiteNoise warns when `collectstatic` has not been run; the benchmark serves no static files.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))

    import django

    django.setup()
    return tmpdir


def create_database(tmpdir: Path | None) -> str | None:
    """Create and migrate the throwaway database. Returns the old name to destroy a test database."""
    from django.core.management import call_command
    from django.db import connection

    if tmpdir is not None:
        name = Path(connection.settings_dict["NAME"]).resolve()
        if name == DEV_DATABASE.resolve() or tmpdir.resolve() not in name.parents:
            raise SystemExit(f"Refusing to use {name}: not a temporary database")
        call_command("migrate", interactive=False, verbosity=0)
        return None
    if connection.vendor != "sqlite":
        # A name of our own, so that a test run on the same server (test_<name>) is never clobbered.
        base = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{base}_benchmark_{os.getpid()}"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    return old_name


def destroy_database(tmpdir: Path | None, old_name: str | None) -> None:
    from django.db import connection

    if old_name is not None:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
    connection.close()
    if tmpdir is not None:
        shutil.rmtree(tmpdir, ignore_errors=True)


def _person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def build_tenant(n_schools: int, n_users: int, seed: int):
    """One large partnership (and a small neighbour, so scoping has something to filter out).

    Most rows are bulk-created (permissions come from the roles on each request, so nothing else
    is needed). The coordinator's role is started through partnerships.services.role_start, like
    the app does.
    """
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from accounts.models import Invitation, User
    from partnerships.models import AgreementVersion, Membership, Partnership, RoleAssignment
    from partnerships.roles import Role
    from partnerships.services import role_start
    from partnerships.services.partnerships import partnership_prepare
    from schools.models import School

    rng = random.Random(seed)
    today = timezone.localdate()
    password = make_password("benchmark-password-1")
    phases = [School.Phase.PRIMARY] * 6 + [School.Phase.SECONDARY] * 2 + [School.Phase.INFANT, School.Phase.SPECIAL]
    school_role_cycle = [
        Role.HEADTEACHER,
        Role.DEPUTY,
        Role.CHAIR_OF_GOVERNORS,
        Role.GOVERNOR,
        Role.GOVERNOR,
        Role.GOVERNOR,
        Role.GOVERNOR,
        Role.GOVERNOR,
        Role.FINANCE_OFFICER,
        Role.ADVISER,
    ]
    wide_roles = [Role.CHAIR, Role.VICE_CHAIR, Role.LA_OBSERVER]
    wide_roles += [Role.STRATEGY_REP, Role.STRATEGY_RESERVE] * 20

    def days_ago(lo: int, hi: int) -> datetime.date:
        return today - datetime.timedelta(days=rng.randint(lo, hi))

    counter = {"urn": 700000, "user": 0}

    def make_schools(count: int) -> list:
        rows = []
        for _ in range(count):
            counter["urn"] += 1
            rows.append(
                School(
                    urn=counter["urn"],
                    name=f"{rng.choice(PLACES)} {rng.choice(SCHOOL_KINDS)} School {counter['urn']}",
                    phase=rng.choice(phases),
                    type="Academy converter",
                    local_authority="Devon",
                    postcode=f"EX{rng.randint(1, 39)} {rng.randint(1, 9)}AB",
                )
            )
        School.objects.bulk_create(rows)
        return list(School.objects.filter(urn__in=[s.urn for s in rows]).order_by("urn"))

    def make_users(count: int, domain: str) -> list:
        rows = []
        for _ in range(count):
            counter["user"] += 1
            rows.append(
                User(
                    email=f"person{counter['user']:06d}@{domain}",
                    full_name=_person_name(rng),
                    password=password,
                )
            )
        User.objects.bulk_create(rows)
        return list(User.objects.filter(email__endswith=f"@{domain}").order_by("email"))

    def populate(partnership, n_member_schools: int, n_people: int, domain: str) -> dict:
        current = make_schools(n_member_schools)
        former = make_schools(max(1, n_member_schools // 10))
        memberships = [Membership(partnership=partnership, school=s, joined=days_ago(400, 3000)) for s in current]
        for s in former:
            joined = days_ago(2000, 3000)
            memberships.append(Membership(partnership=partnership, school=s, joined=joined, left=days_ago(30, 1000)))
        Membership.objects.bulk_create(memberships)

        people = make_users(n_people, domain)
        roles = []
        n_wide = min(len(wide_roles), max(1, n_people // 50))
        for i, user in enumerate(people):
            if i < n_wide:
                role, school = wide_roles[i], None
            else:
                k = i - n_wide
                role = school_role_cycle[(k // len(current)) % len(school_role_cycle)]
                school = current[k % len(current)]
            end = days_ago(-700, -30) if rng.random() < 0.05 else None  # a few roles with a set end date
            roles.append(
                RoleAssignment(
                    user=user,
                    partnership=partnership,
                    role=role,
                    school=school,
                    start=days_ago(31, 1500),
                    end=end,
                )
            )
            if rng.random() < 0.15:  # an earlier role that has ended: the people page's history
                start = days_ago(1600, 3000)
                roles.append(
                    RoleAssignment(
                        user=user,
                        partnership=partnership,
                        role=Role.GOVERNOR,
                        school=rng.choice(current + former),
                        start=start,
                        end=start + datetime.timedelta(days=rng.randint(100, 1000)),
                    )
                )
        RoleAssignment.objects.bulk_create(roles, batch_size=500)

        return {"current": current, "former": former, "people": people}

    with scopes_disabled():
        big = Partnership.objects.create(
            name="Benchmark Learning Partnership",
            slug="benchmark",
            purpose="A large partnership for timing pages.",
            aims="Share what works.\nKeep costs down.",
        )
        AgreementVersion.objects.create(
            partnership=big, number=1, starts=today - datetime.timedelta(days=900), status="published"
        )
        neighbour = Partnership.objects.create(name="Neighbouring Partnership", slug="neighbour")
        for partnership in (big, neighbour):  # its constitution and terms, as every partnership has
            partnership_prepare(partnership=partnership)
        made = populate(big, n_schools, n_users, "big.example.org")
        populate(neighbour, max(1, n_schools // 10), max(1, n_users // 10), "neighbour.example.org")

        coordinator = User.objects.create_user(
            "coordinator@big.example.org", "benchmark-password-1", full_name="Casey Coordinator"
        )
        EmailAddress.objects.create(user=coordinator, email=coordinator.email, primary=True, verified=True)
        role_start(
            actor=None,
            user=coordinator,
            partnership=big,
            role=Role.COORDINATOR,
            start=today - datetime.timedelta(days=30),
        )

        now = timezone.now()
        invitations = []
        for i in range(40):
            school = made["current"][i % len(made["current"])] if i % 2 else None
            invitations.append(
                Invitation(
                    partnership=big,
                    email=f"invitee{i:03d}@elsewhere.example.org",
                    full_name=_person_name(rng),
                    role=Role.GOVERNOR if school else Role.STRATEGY_REP,
                    school=school,
                    invited_by=coordinator,
                    expires_at=now + datetime.timedelta(days=rng.randint(-10, 14)),  # some already expired
                    accepted_at=now if i % 10 == 0 else None,
                )
            )
        Invitation.objects.bulk_create(invitations)

        size = {
            "schools (current members)": Membership.objects.filter(partnership=big).current().count(),
            "schools (former members)": Membership.objects.filter(partnership=big, left__isnull=False).count(),
            "people with a role": RoleAssignment.objects.filter(partnership=big).values("user").distinct().count(),
            "roles in force": RoleAssignment.objects.filter(partnership=big).active().count(),
            "roles ended": RoleAssignment.objects.filter(partnership=big).ended().count(),
            "invitations (all states)": Invitation.objects.filter(partnership=big).count(),
            "whole database: users": User.objects.count(),
            "whole database: role assignments": RoleAssignment.objects.count(),
        }
    return big, coordinator, size


def analyze_tables() -> None:
    """Give PostgreSQL's planner statistics for the freshly loaded tables, as autovacuum would."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def run_requests(partnership, coordinator, args):
    """Warm up, time the pages interleaved, then count each page's queries. Returns results, failures."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django_scopes import scope

    from partnerships.models import RoleAssignment

    urls = {
        "floor": f"/p/{partnership.slug}/floor/",
        "layout": f"/p/{partnership.slug}/layout/",
        "dashboard": f"/p/{partnership.slug}/",
        "people": f"/p/{partnership.slug}/people/",
    }
    coordinator_client = Client()
    coordinator_client.force_login(coordinator)
    clients = {name: coordinator_client for name in VIEWS}
    for role in DASHBOARD_ROLES:
        with scope(partnership=partnership):
            held = (
                RoleAssignment.objects.filter(partnership=partnership, role=role)
                .active(timezone.localdate())
                .select_related("user")
                .order_by("pk")
                .first()
            )
        if held is None:
            continue
        client = Client()
        client.force_login(held.user)
        name = f"dash:{role}"
        urls[name] = urls["dashboard"]
        clients[name] = client
    # Each dashboard again with nothing kept (core.freshness): what it costs after any write.
    fresh = set()
    for name in [n for n in urls if n == "dashboard" or n.startswith("dash:")]:
        urls[f"{name} fresh"] = urls[name]
        clients[f"{name} fresh"] = clients[name]
        fresh.add(f"{name} fresh")
    views = tuple(urls)
    failures: list[str] = []

    def get(name):
        if name in fresh:
            with override_settings(PAGE_CACHE_SECONDS=0):
                return clients[name].get(urls[name])
        return clients[name].get(urls[name])

    def check(name, response):
        if response.status_code != 200:
            where = response.get("Location", "")
            failures.append(f"{name}: GET {urls[name]} returned {response.status_code} {where}".rstrip())

    timings: dict[str, list[float]] = {name: [] for name in views}
    results = {}
    with override_settings(ROOT_URLCONF=FLOOR_URLCONF):
        for _ in range(args.warmup):
            for name in views:
                check(name, get(name))
        gc.collect()  # start the timed loop without the garbage left by building the data
        for i in range(args.repeat):
            # Rotate the order so that no page always runs first (or right after another).
            order = views[i % len(views) :] + views[: i % len(views)]
            for name in order:
                started = time.perf_counter()
                response = get(name)
                timings[name].append((time.perf_counter() - started) * 1000)
                check(name, response)
        for name in views:
            counts = []
            for _ in range(3):
                with CaptureQueriesContext(connection) as captured:
                    response = get(name)
                check(name, response)
                counts.append(len(captured.captured_queries))
            if args.show_queries:
                print(f"\n-- {name}: {urls[name]} ({len(captured.captured_queries)} queries)")
                for query in captured.captured_queries:
                    print(f"   {query['time']}s  {query['sql']}")
            results[name] = {
                "median": statistics.median(timings[name]),
                "p90": _percentile(timings[name], 0.9),
                "queries": counts,
                "kb": len(response.content) / 1024,
            }
    return results, failures


def print_report(args, size, results, build_seconds, started):
    import django
    from django.db import connection

    floor = results["floor"]["median"]
    layout = results["layout"]["median"]
    print()
    print(
        f"Django {django.get_version()}, Python {platform.python_version()}, "
        f"database {connection.vendor} ({connection.settings_dict['NAME']})"
    )
    print(f"Data built in {build_seconds:.1f} s:")
    for label, value in size.items():
        print(f"  {label:<44} {value:>7}")
    print(
        f"\n{args.repeat} timed requests per page after {args.warmup} warm-up rounds, signed in as the coordinator"
        " (dash:<role>: the dashboard as someone holding that role):\n"
    )
    print(f"{'view':<32} {'median ms':>10} {'p90 ms':>9} {'x floor':>8} {'x layout':>9} {'queries':>8} {'KB':>7}")
    for name, r in results.items():
        low, high = min(r["queries"]), max(r["queries"])
        queries = str(low) if low == high else f"{low}-{high}"
        print(
            f"{name:<32} {r['median']:>10.2f} {r['p90']:>9.2f} {r['median'] / floor:>8.2f} {r['median'] / layout:>9.2f}"
            f" {queries:>8} {r['kb']:>7.1f}"
        )
    print(f"\nTotal run time {time.perf_counter() - started:.1f} s")


def main(argv=None) -> int:
    started = time.perf_counter()
    args = parse_args(argv)
    tmpdir = configure_django()

    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment(debug=False)
    old_name = None
    try:
        old_name = create_database(tmpdir)
        build_started = time.perf_counter()
        partnership, coordinator, size = build_tenant(args.schools, args.users, args.seed)
        if not args.no_year:
            from benchmarks.year_of_business import add_year_of_business

            size.update(add_year_of_business(partnership, coordinator, seed=args.seed))
        analyze_tables()
        build_seconds = time.perf_counter() - build_started
        results, failures = run_requests(partnership, coordinator, args)
        print_report(args, size, results, build_seconds, started)
    finally:
        destroy_database(tmpdir, old_name)
        teardown_test_environment()
    if failures:
        print(f"\n{len(failures)} response(s) were not 200:", file=sys.stderr)
        for failure in sorted(set(failures)):  # the same failure repeats on every request
            print(f"  {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
