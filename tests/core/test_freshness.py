"""Kept page parts (core/freshness.py): a dashboard is rendered once and shown again until something it
could show changes. Every kind of write (a form in the browser, a service, QuerySet.update, a shared
table) shows at once; another partnership's writes keep this one's copy; each reader has their own copy;
the day and the clock's slot name it; and with keeping off or the cache unreachable the page is
rendered afresh rather than failing."""

import datetime
import time
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from core import freshness
from core.testing import count_queries
from meetings.models import ActionPoint, Meeting
from partnerships.models import Partnership, RoleAssignment
from partnerships.roles import Role
from schools.models import School
from tests.clock import on_day
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.partnerships import give_role

pytestmark = pytest.mark.django_db


def _url(tenant) -> str:
    return reverse("partnerships:dashboard", kwargs={"partnership_slug": tenant.slug})


def _meeting(tenant, title: str = "Summer partnership meeting", days: int = 10) -> Meeting:
    starts = timezone.now() + datetime.timedelta(days=days)
    with scopes_disabled():
        return MeetingFactory(
            partnership=tenant.partnership,
            organiser=tenant.coordinator,
            title=title,
            starts=starts,
            ends=starts + datetime.timedelta(hours=2),
        )


class Renders:
    """A render function that counts its calls."""

    def __init__(self, html: str = "<p>Panels</p>"):
        self.calls = 0
        self.html = html

    def __call__(self) -> str:
        self.calls += 1
        return f"{self.html}{self.calls}"


def _kept(tenant, render, parts=("page", 1)) -> str:
    return freshness.kept_part(partnership_id=tenant.partnership.pk, parts=parts, render=render)


# --- The dashboard ------------------------------------------------------------------------------------


def test_the_dashboard_is_kept_until_its_partnership_data_changes(tenant_a, client_for):
    meeting = _meeting(tenant_a)
    client = client_for(tenant_a.coordinator)
    first = client.get(_url(tenant_a)).content.decode()
    assert "Summer partnership meeting" in first
    assert client.get(_url(tenant_a)).content.decode() == first
    with scope(partnership=tenant_a.partnership):
        Meeting.objects.filter(pk=meeting.pk).update(title="Autumn partnership meeting")  # no save(), no signal
    second = client.get(_url(tenant_a)).content.decode()
    assert "Autumn partnership meeting" in second and "Summer partnership meeting" not in second


def test_a_kept_dashboard_costs_only_the_signed_in_request(tenant_a, client_for, django_assert_max_num_queries):
    _meeting(tenant_a)
    client = client_for(tenant_a.coordinator)
    fresh, _ = count_queries(client, _url(tenant_a))
    client.get(_url(tenant_a))
    # Session, user, partnership and the reader's roles: what the floor page pays.
    with django_assert_max_num_queries(4):
        page = client.get(_url(tenant_a))
    assert page.status_code == 200 and "Summer partnership meeting" in page.content.decode()
    assert fresh > 10


def test_what_a_reader_does_in_the_browser_shows_on_their_next_look(tenant_a, client_for):
    starts = timezone.now() - datetime.timedelta(days=7)
    with scopes_disabled():
        meeting = MeetingFactory(
            partnership=tenant_a.partnership,
            organiser=tenant_a.coordinator,
            starts=starts,
            ends=starts + datetime.timedelta(hours=1),
        )
        action = ActionPoint.objects.create(
            meeting=meeting,
            description="Write the report",
            owner=tenant_a.headteacher,
            due=timezone.localdate() - datetime.timedelta(days=2),
            created_by=tenant_a.coordinator,
        )
    head = client_for(tenant_a.headteacher)
    assert "You have 1 overdue action." in head.get(_url(tenant_a)).content.decode()
    done = reverse("meetings:action_done", kwargs={"partnership_slug": tenant_a.slug, "action_pk": action.pk})
    assert head.post(done, {"note": "Sent to governors"}).status_code == 302
    assert "overdue action" not in head.get(_url(tenant_a)).content.decode()


def test_each_reader_has_their_own_copy(tenant_a, client_for):
    with scopes_disabled():
        other_head = UserFactory(full_name="Other Head")
        give_role(other_head, tenant_a.partnership, Role.HEADTEACHER, tenant_a.schools[1])
    first, second = tenant_a.schools
    mine = client_for(tenant_a.headteacher).get(_url(tenant_a)).content.decode()
    theirs = client_for(other_head).get(_url(tenant_a)).content.decode()
    assert f"Headteacher, {first.name}" in mine and f"Headteacher, {second.name}" not in mine
    assert f"Headteacher, {second.name}" in theirs and f"Headteacher, {first.name}" not in theirs


def test_a_shared_record_changed_shows_in_every_partnership(tenant_a, tenant_b, client_for):
    client = client_for(tenant_a.headteacher)
    school = tenant_a.schools[0]
    before = client.get(_url(tenant_a)).content.decode()
    assert school.name in before
    with scope(partnership=tenant_b.partnership):  # a school is shared: no partnership's own row
        type(school).objects.filter(pk=school.pk).update(name="Renamed Primary School")
    assert "Renamed Primary School" in client.get(_url(tenant_a)).content.decode()


# --- Versions -----------------------------------------------------------------------------------------


def test_a_partnerships_own_write_changes_its_version_and_no_one_elses(tenant_a, tenant_b):
    a, b = tenant_a.partnership.pk, tenant_b.partnership.pk
    before_a, before_b = freshness.data_version(a), freshness.data_version(b)
    meeting = _meeting(tenant_b)  # made with scopes disabled: the installation's version
    assert freshness.data_version(a) != before_a and freshness.data_version(b) != before_b
    before_a, before_b = freshness.data_version(a), freshness.data_version(b)
    with scope(partnership=tenant_b.partnership):
        Meeting.objects.filter(pk=meeting.pk).update(title="Renamed")
    assert freshness.data_version(a) == before_a
    assert freshness.data_version(b) != before_b


@pytest.mark.parametrize("how", ["save", "update", "bulk_create", "bulk_create_ignoring_conflicts", "delete"])
def test_every_kind_of_write_to_a_partnerships_rows_changes_its_version(tenant_a, how):
    meeting = _meeting(tenant_a)
    before = freshness.data_version(tenant_a.partnership.pk)
    with scope(partnership=tenant_a.partnership):
        if how == "save":
            meeting.title = "Saved"
            meeting.save()
        elif how == "update":
            Meeting.objects.filter(pk=meeting.pk).update(title="Updated")
        elif how.startswith("bulk_create"):
            ActionPoint.objects.bulk_create(
                [
                    ActionPoint(
                        meeting=meeting,
                        description="Made in bulk",
                        owner=tenant_a.headteacher,
                        due=timezone.localdate(),
                        created_by=tenant_a.coordinator,
                    )
                ],
                ignore_conflicts=how.endswith("ignoring_conflicts"),  # SQLite: INSERT OR IGNORE
            )
        else:
            Meeting.objects.filter(pk=meeting.pk).delete()
    assert freshness.data_version(tenant_a.partnership.pk) != before


def test_a_write_that_changes_no_row_changes_no_version(tenant_a):
    before = freshness.data_version(tenant_a.partnership.pk)
    with scopes_disabled():
        assert Meeting.objects.filter(pk=0).update(title="Nothing") == 0
        assert Meeting.objects.filter(pk=0).delete()[0] == 0
    assert freshness.data_version(tenant_a.partnership.pk) == before


def test_a_shared_table_changes_every_partnerships_version(tenant_a, tenant_b):
    before = [freshness.data_version(t.partnership.pk) for t in (tenant_a, tenant_b)]
    with scope(partnership=tenant_a.partnership):
        type(tenant_a.headteacher).objects.filter(pk=tenant_a.headteacher.pk).update(full_name="Renamed Head")
    after = [freshness.data_version(t.partnership.pk) for t in (tenant_a, tenant_b)]
    assert after[0] != before[0] and after[1] != before[1]


def test_a_session_written_changes_nothing(tenant_a, client_for):
    client_for(tenant_a.coordinator)  # a session row
    before = freshness.data_version(tenant_a.partnership.pk)
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(days=1))
    assert freshness.data_version(tenant_a.partnership.pk) == before


@pytest.mark.django_db(transaction=True)
def test_a_transaction_changes_the_version_again_when_it_commits(tenant_a):
    meeting = _meeting(tenant_a)
    with scope(partnership=tenant_a.partnership), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(title="Renamed")
        # A page another connection renders now, from the rows before this transaction commits, is
        # kept under this version: the commit must move past it.
        during = freshness.data_version(tenant_a.partnership.pk)
    assert freshness.data_version(tenant_a.partnership.pk) != during


def test_a_partnership_write_inside_another_scope_list_changes_each(tenant_a, tenant_b):
    meeting = _meeting(tenant_a)
    before = [freshness.data_version(t.partnership.pk) for t in (tenant_a, tenant_b)]
    with scope(partnership=[tenant_a.partnership.pk, tenant_b.partnership.pk]):
        Meeting.objects.filter(pk=meeting.pk).update(title="Renamed")
    after = [freshness.data_version(t.partnership.pk) for t in (tenant_a, tenant_b)]
    assert after[0] != before[0] and after[1] != before[1]


# --- Kept parts ---------------------------------------------------------------------------------------


def test_a_part_is_rendered_once_while_nothing_changes(tenant_a):
    render = Renders()
    assert _kept(tenant_a, render) == _kept(tenant_a, render) == "<p>Panels</p>1"
    assert render.calls == 1
    assert _kept(tenant_a, render, parts=("page", 2)) == "<p>Panels</p>2"  # another reader: their own
    with scopes_disabled():
        Partnership.objects.filter(pk=tenant_a.partnership.pk).update(purpose="Changed")
    assert _kept(tenant_a, render) == "<p>Panels</p>3"


def test_the_day_and_the_clocks_slot_name_a_kept_part(tenant_a, settings):
    render = Renders()
    _kept(tenant_a, render)
    with on_day(timezone.localdate() + datetime.timedelta(days=1)):
        _kept(tenant_a, render)
    assert render.calls == 2
    later = timezone.now() + datetime.timedelta(seconds=settings.PAGE_CACHE_SECONDS)
    with mock.patch("django.utils.timezone.now", return_value=later):
        _kept(tenant_a, render)
    assert render.calls == 3


def test_with_keeping_off_every_look_is_rendered(tenant_a, settings):
    settings.PAGE_CACHE_SECONDS = 0
    render = Renders()
    _kept(tenant_a, render)
    _kept(tenant_a, render)
    assert render.calls == 2


def _redis_nobody_answers() -> dict:
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens here
        "OPTIONS": {"socket_connect_timeout": 0.2},
    }


def test_an_unreachable_cache_renders_afresh_and_writes_still_succeed(tenant_a, client_for, settings, caplog):
    settings.CACHES = {"default": _redis_nobody_answers(), "pages": _redis_nobody_answers()}
    render = Renders()
    assert _kept(tenant_a, render) == "<p>Panels</p>1"
    assert _kept(tenant_a, render) == "<p>Panels</p>2"
    meeting = _meeting(tenant_a, title="Written while the cache was down")
    with scopes_disabled():
        assert Meeting.objects.get(pk=meeting.pk).title == "Written while the cache was down"
    assert "The pages cache failed" in caplog.text


def test_a_failing_cache_is_left_alone_for_a_while_so_it_cannot_slow_every_write(tenant_a, monkeypatch):
    pages = caches["pages"]
    calls = []

    def hangs_then_fails(*args, **kwargs):
        calls.append(args)
        raise TimeoutError("Redis did not answer")

    monkeypatch.setattr(pages, "set_many", hangs_then_fails)
    meeting = _meeting(tenant_a)
    with scope(partnership=tenant_a.partnership):
        for n in range(5):
            Meeting.objects.filter(pk=meeting.pk).update(title=f"Renamed {n}")
    assert len(calls) == 1  # the first write found it failing; the others did not wait on it
    render = Renders()
    _kept(tenant_a, render)
    _kept(tenant_a, render)
    assert render.calls == 2  # nothing kept meanwhile
    later = time.monotonic() + freshness.RETRY_AFTER_SECONDS + 1
    with mock.patch("core.freshness.time.monotonic", return_value=later), scope(partnership=tenant_a.partnership):
        Meeting.objects.filter(pk=meeting.pk).update(title="Renamed again")
    assert len(calls) == 2  # tried again once the while had passed


def test_a_transaction_replaces_its_versions_once_when_it_commits(tenant_a, tenant_b):
    meeting = _meeting(tenant_a)
    with scope(partnership=tenant_a.partnership), transaction.atomic():
        for n in range(3):
            Meeting.objects.filter(pk=meeting.pk).update(title=f"Renamed {n}")
        School.objects.filter(pk=tenant_b.schools[0].pk).update(name="Renamed school")
    # (The test runs in one transaction: its callbacks wait for a commit that never comes.)
    bumps = [callback for _, callback, _ in connection.run_on_commit if isinstance(callback, freshness._CommitBump)]
    assert len(bumps) == 1 and {tenant_a.partnership.pk, freshness.INSTALLATION} <= bumps[0].names


@pytest.mark.django_db(transaction=True)
def test_a_failing_commit_hook_before_it_does_not_stop_the_version_changing(tenant_a, tenant_b):
    meeting = _meeting(tenant_a)
    school = tenant_b.schools[0]
    with pytest.raises(RuntimeError), scope(partnership=tenant_a.partnership), transaction.atomic():
        transaction.on_commit(mock.Mock(side_effect=RuntimeError("storage delete failed")))  # runs first
        Meeting.objects.filter(pk=meeting.pk).update(title="First")
        School.objects.filter(pk=school.pk).update(name="Renamed")
        during = freshness.data_version(tenant_b.partnership.pk)  # B's dashboard rendered now, old name
    assert freshness.data_version(tenant_b.partnership.pk) != during


def test_a_query_string_is_not_a_new_kept_copy(tenant_a, client_for, django_assert_max_num_queries):
    _meeting(tenant_a)
    client = client_for(tenant_a.coordinator)
    first = client.get(_url(tenant_a)).content.decode()
    for n in range(3):
        with django_assert_max_num_queries(4):  # the kept copy, not a new one per query string
            assert client.get(f"{_url(tenant_a)}?n={n}").content.decode() == first


def test_a_role_changed_in_place_is_a_new_copy_even_if_the_change_was_not_recorded(tenant_a, client_for, monkeypatch):
    _meeting(tenant_a)
    client = client_for(tenant_a.coordinator)
    assert "Summer partnership meeting" in client.get(_url(tenant_a)).content.decode()
    pages = caches["pages"]
    with monkeypatch.context() as patched:
        patched.setattr(pages, "set_many", mock.Mock(side_effect=TimeoutError("Redis did not answer")))
        with scopes_disabled():
            RoleAssignment.objects.filter(user=tenant_a.coordinator, partnership=tenant_a.partnership).update(
                role=Role.LA_OBSERVER
            )
    freshness._cache_down_until = 0.0  # the cache answers again
    # An observer does not see meetings: the coordinator's kept copy is not theirs.
    assert "Summer partnership meeting" not in client.get(_url(tenant_a)).content.decode()


def test_the_partnership_shown_is_read_after_the_version(tenant_a, client_for):
    client = client_for(tenant_a.coordinator)
    real = freshness.data_version
    renamed = []

    def rename_in_between(partnership_id):
        # Another process renames the partnership after this request loaded it, before the version is read.
        if not renamed:
            renamed.append(True)
            with scopes_disabled():
                Partnership.objects.filter(pk=partnership_id).update(name="Renamed Partnership")
        return real(partnership_id)

    with mock.patch.object(freshness, "data_version", rename_in_between):
        client.get(_url(tenant_a))
    again = client.get(_url(tenant_a)).content.decode()
    assert '<h1 class="govuk-heading-xl">Renamed Partnership</h1>' in again
