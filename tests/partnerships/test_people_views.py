import datetime

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from accounts.models import AuditEvent, Invitation
from partnerships.models import RoleAssignment
from partnerships.roles import Role
from tests.clock import on_day
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import give_role

pytestmark = pytest.mark.django_db
D = datetime.date


def invite(client, tenant, **data):
    payload = {
        "full_name": "Nadia Shah",
        "email": "nadia@example.org",
        "role": Role.GOVERNOR,
        "school": tenant.schools[0].pk,
    }
    payload.update(data)
    return client.post(f"/p/{tenant.slug}/people/invite/", payload)


def test_coordinator_invites_a_governor_and_the_email_carries_a_working_link(
    tenant_a, client_for, django_capture_on_commit_callbacks
):
    client = client_for(tenant_a.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, tenant_a)
    assert response.status_code == 302
    with scopes_disabled():
        invitation = Invitation.objects.get(email="nadia@example.org")
        assert invitation.sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nadia@example.org"]
    assert f"/invitations/{invitation.token}/" in mail.outbox[0].body
    people = client.get(f"/p/{tenant_a.slug}/people/").content.decode()
    assert "nadia@example.org" in people


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": ""}, "email", "Enter their email address"),
        ({"email": "not-an-email"}, "email", "Enter an email address in the correct format"),
        ({"role": ""}, "role", "Choose a role"),
        ({"role": "emperor"}, "role", "Choose a role from the list"),
        ({"school": ""}, "school", "Choose the school this governor is for"),
        ({"role": Role.COORDINATOR}, "school", "not held for a school"),
        ({"school": "999999"}, "school", "Choose a member school from the list"),
    ],
)
def test_bad_invitations_are_refused_next_to_the_field_and_change_nothing(tenant_a, client_for, data, field, message):
    client = client_for(tenant_a.coordinator)
    with scopes_disabled():
        before = Invitation.objects.count(), AuditEvent.objects.count()
    response = invite(client, tenant_a, **data)
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    body = response.content.decode()
    assert "There is a problem" in body and f'href="#id_{field}"' in body
    with scopes_disabled():
        assert (Invitation.objects.count(), AuditEvent.objects.count()) == before


def test_inviting_someone_who_already_has_the_role_is_refused(tenant_a, client_for):
    response = invite(
        client_for(tenant_a.coordinator),
        tenant_a,
        email=tenant_a.headteacher.email,
        role=Role.HEADTEACHER,
        school=tenant_a.schools[0].pk,
    )
    assert response.status_code == 400
    assert "is already headteacher for" in " ".join(response.context["form"].errors["email"])


def test_inviting_twice_is_refused_until_the_first_is_withdrawn(tenant_a, client_for):
    client = client_for(tenant_a.coordinator)
    assert invite(client, tenant_a).status_code == 302
    second = invite(client, tenant_a)
    assert second.status_code == 400
    assert "already invited" in " ".join(second.context["form"].errors["email"])
    with scopes_disabled():
        first = Invitation.objects.get(email="nadia@example.org")
    client.post(f"/p/{tenant_a.slug}/people/invitations/{first.pk}/withdraw/")
    assert invite(client, tenant_a).status_code == 302


def test_withdrawing_twice_says_so(tenant_a, client_for):
    client = client_for(tenant_a.coordinator)
    url = f"/p/{tenant_a.slug}/people/invitations/{tenant_a.invitation.pk}/withdraw/"
    assert client.post(url).status_code == 302
    response = client.post(url, follow=True)
    assert "already withdrawn" in response.content.decode()


def test_coordinator_ends_a_role(tenant_a, client_for, today):
    client = client_for(tenant_a.coordinator)
    url = f"/p/{tenant_a.slug}/people/roles/{tenant_a.role.pk}/end/"
    assert client.get(url).status_code == 200
    yesterday = today - datetime.timedelta(days=1)  # the date entered is the last day in the role
    response = client.post(url, {"end": yesterday.isoformat()})
    assert response.status_code == 302
    with scopes_disabled():
        tenant_a.role.refresh_from_db()
    assert tenant_a.role.end == yesterday
    history = client.get(f"/p/{tenant_a.slug}/people/?show=history").content.decode()
    assert tenant_a.headteacher.full_name in history
    # The former head can no longer enter the partnership.
    assert client_for(tenant_a.headteacher).get(f"/p/{tenant_a.slug}/").status_code == 404


@pytest.mark.parametrize("end", ["", "yesterday", "2020-13-45", "1999-01-01"])
def test_bad_end_dates_are_refused_and_change_nothing(tenant_a, client_for, end):
    response = client_for(tenant_a.coordinator).post(
        f"/p/{tenant_a.slug}/people/roles/{tenant_a.role.pk}/end/", {"end": end}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["end"]
    with scopes_disabled():
        tenant_a.role.refresh_from_db()
    assert tenant_a.role.end is None


def test_settings_turn_on_mfa_for_coordinators_who_must_then_set_it_up(tenant_a, client_for):
    client = client_for(tenant_a.coordinator)
    response = client.post(f"/p/{tenant_a.slug}/settings/", {"require_mfa_for_coordinators": "on"})
    assert response.status_code == 302
    tenant_a.partnership.refresh_from_db()
    assert tenant_a.partnership.require_mfa_for_coordinators
    blocked = client.get(f"/p/{tenant_a.slug}/people/")
    assert blocked.status_code == 302 and blocked["Location"] == "/accounts/2fa/totp/activate/"
    # Headteachers are not held to the coordinators' rule.
    assert client_for(tenant_a.headteacher).get(f"/p/{tenant_a.slug}/").status_code == 200
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="partnership.settings_changed").count() == 1


def test_coordinator_with_totp_passes_the_mfa_requirement(tenant_a, client_for):
    from allauth.mfa.models import Authenticator

    tenant_a.partnership.require_mfa_for_coordinators = True
    tenant_a.partnership.save()
    Authenticator.objects.create(user=tenant_a.coordinator, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/").status_code == 200


def test_user_with_one_partnership_goes_straight_to_it_and_with_two_chooses(tenant_a, tenant_b, client_for):
    response = client_for(tenant_a.coordinator).get("/")
    assert response.status_code == 302 and response["Location"] == f"/p/{tenant_a.slug}/"
    both = UserFactory()
    with scopes_disabled():
        give_role(both, tenant_a.partnership, Role.LA_OBSERVER)
        give_role(both, tenant_b.partnership, Role.LA_OBSERVER)
    page = client_for(both).get("/")
    assert page.status_code == 200
    body = page.content.decode()
    assert tenant_a.partnership.name in body and tenant_b.partnership.name in body


def test_activity_lists_the_partnerships_own_events_only(tenant_a, tenant_b, client_for):
    body = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/activity/").content.decode()
    assert "invited invitee@alpha-partnership.example" in body
    assert "beta-partnership" not in body


def test_no_500_on_odd_input(tenant_a, client_for):
    client = client_for(tenant_a.coordinator)
    for url in [
        f"/p/{tenant_a.slug}/people/?page=abc",
        f"/p/{tenant_a.slug}/people/?page=-1",
        f"/p/{tenant_a.slug}/people/?page=99999",
        f"/p/{tenant_a.slug}/activity/?page=%ff",
    ]:
        assert client.get(url).status_code == 200, url
    assert client.post(f"/p/{tenant_a.slug}/people/invite/", {"email": "x" * 5000}).status_code == 400
    assert client.post(f"/p/{tenant_a.slug}/settings/", {"require_mfa_for_coordinators": "\x00"}).status_code in (
        302,
        400,
    )
    with scopes_disabled():
        assert RoleAssignment.objects.filter(partnership=tenant_a.partnership, end__isnull=False).count() == 1


def test_the_invite_form_can_be_prefilled_from_a_link(tenant_a, client_for):
    school = tenant_a.schools[0]
    response = client_for(tenant_a.coordinator).get(
        f"/p/{tenant_a.slug}/people/invite/?full_name=Dee+Puty&email=dee@example.org&role=deputy&school={school.pk}"
    )
    form = response.context["form"]
    assert (form["full_name"].value(), form["email"].value(), form["role"].value()) == (
        "Dee Puty",
        "dee@example.org",
        "deputy",
    )
    assert str(form["school"].value()) == str(school.pk)
    assert 'value="dee@example.org"' in response.content.decode()


def test_a_prefill_with_nonsense_still_renders(tenant_a, client_for):
    response = client_for(tenant_a.coordinator).get(
        f"/p/{tenant_a.slug}/people/invite/?school=abc&role=%ff&email=" + "x" * 999
    )
    assert response.status_code == 200


def test_the_dashboard_shows_the_schools_leaving(tenant_a, client_for, today):
    import datetime

    from partnerships.models import Membership

    with scopes_disabled():
        Membership.objects.filter(school=tenant_a.schools[1]).update(left=today + datetime.timedelta(days=30))
    body = client_for(tenant_a.headteacher).get(f"/p/{tenant_a.slug}/").content.decode()
    assert "Schools leaving" in body and tenant_a.schools[1].name in body
    assert tenant_a.schools[0].name not in body.split("Schools leaving")[1].split("</table>")[0]
    assert f"Leaving on {today + datetime.timedelta(days=30):%-d %B %Y}" in body


def test_pagination_keeps_the_pages_filters(tenant_a, client_for):
    from accounts.models import User
    from partnerships.models import RoleAssignment

    with scopes_disabled():
        users = User.objects.bulk_create(User(email=f"old{i}@example.org", full_name=f"Old {i}") for i in range(60))
        RoleAssignment.objects.bulk_create(
            RoleAssignment(
                user=u,
                partnership=tenant_a.partnership,
                role="governor",
                school=tenant_a.schools[0],
                start="2021-09-01",
                end="2022-08-31",
            )
            for u in users
        )
    body = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/people/?show=history").content.decode()
    assert "?show=history&amp;page=2" in body


def test_a_field_with_several_errors_has_one_error_message_element(tenant_a, client):
    from django.urls import reverse

    response = client.post(
        reverse("invitation_accept", args=[tenant_a.invitation.token]),
        {"full_name": "Ivy", "password1": "password", "password2": "password"},
    )
    body = response.content.decode()
    assert len(response.context["form"].errors["password1"]) == 2  # too short, and too common
    assert body.count('id="id_password1-error"') == 1
    assert "too short" in body and "too common" in body


def test_only_the_current_section_is_marked_in_the_navigation(tenant_a, client_for):
    for path in ("interests/", "governance/", "members/", ""):
        body = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/{path}").content.decode()
        assert body.count("govuk-service-navigation__item--active") == 1, path


def test_the_partnership_chooser_says_which_role_the_person_has_in_each(tenant_a, tenant_b, client_for):
    both = UserFactory()
    with scopes_disabled():
        give_role(both, tenant_a.partnership, Role.LA_OBSERVER)
        give_role(both, tenant_b.partnership, Role.HEADTEACHER, school=tenant_b.schools[0])
    body = client_for(both).get("/").content.decode()
    assert "Your role: Local authority observer" in body
    assert f"Your role: Headteacher, {tenant_b.schools[0].name}" in body


def test_membership_has_its_own_menu_entry(tenant_a, client_for):
    body = client_for(tenant_a.headteacher).get(f"/p/{tenant_a.slug}/").content.decode()
    assert f'href="/p/{tenant_a.slug}/membership/">Membership</a>' in body


def test_the_people_page_finds_people_by_name_email_or_school(tenant_a, client_for):
    url = f"/p/{tenant_a.slug}/people/"
    client = client_for(tenant_a.coordinator)
    head = tenant_a.headteacher
    found = client.get(url, {"q": head.full_name.upper()}).context["page_obj"]
    assert {r.user for r in found} == {head}
    by_email = client.get(url, {"q": head.email}).context["page_obj"]
    assert {r.user for r in by_email} == {head}
    none = client.get(url, {"q": "nobody-has-this-name"})
    assert none.status_code == 200 and list(none.context["page_obj"]) == []
    assert "matching “nobody-has-this-name” (0)" in none.content.decode()


@pytest.mark.parametrize("search", ["%", "_", "'; drop table", "x" * 5000, "é🙂", "<script>alert(1)</script>"])
def test_odd_searches_on_the_people_page_are_answered_not_errors(tenant_a, client_for, search):
    response = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/people/", {"q": search})
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []  # "%" and "_" are matched literally, not as wildcards
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_your_roles_shows_since_when_the_office_has_been_held_without_a_break(tenant_a, client_for):
    """Re-elected each year, a chair has been chair since the first election: "Your roles" says the same
    as the governance page, with the last day of this term of office, not the start of this year's role."""
    partnership = tenant_a.partnership
    head = tenant_a.headteacher
    with scopes_disabled():
        for year in (2024, 2025):
            give_role(head, partnership, Role.CHAIR, start=D(year, 9, 1), end=D(year + 1, 8, 31))
        give_role(head, partnership, Role.CHAIR, start=D(2026, 9, 1), end=D(2027, 8, 31))
        # A break resets "since": a governor from 2020 to 2022 and again from this September.
        give_role(head, partnership, Role.GOVERNOR, tenant_a.schools[0], start=D(2020, 9, 1), end=D(2022, 8, 31))
        give_role(head, partnership, Role.GOVERNOR, tenant_a.schools[0], start=D(2026, 9, 1))
    client = client_for(head)
    with on_day(D(2026, 11, 30)):
        dashboard = client.get(f"/p/{tenant_a.slug}/").content.decode()
        governance = client.get(f"/p/{tenant_a.slug}/governance/").content.decode()
    roles = " ".join(dashboard.split("Your roles")[1].split("</ul>")[0].split())
    assert "Chair<br><span" in roles
    assert "since 1 September 2024; the last day of this term of office is 31 August 2027" in roles
    assert "1 Sep 2026" not in roles and "since 1 September 2026; the last day" not in roles
    assert f"Governor, {tenant_a.schools[0].name}<br>" in roles and "since 1 September 2026</span>" in roles
    assert "Chair since 1 September 2024" in governance
    assert "the last day of this term of office is 31 August 2027" in governance
