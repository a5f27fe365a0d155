"""ServiceFormView, on a tiny form and service of its own: the contract every form page relies on.

The "service" writes a row (a django.contrib.auth Group, a model core may use without knowing any
domain) and then may refuse; the view must answer 400 with the refusal next to the field it names
(or at the top), leave nothing written, and on success show the message and redirect (302).
"""

from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory

from core.views import BaseServiceFormView, ServiceFormView

pytestmark = pytest.mark.django_db


class NameForm(forms.Form):
    name = forms.CharField(label="Name", max_length=50)


def group_create(*, name: str) -> Group:
    """Writes first, then checks: a refusal must still leave nothing behind."""
    group = Group.objects.create(name=name)
    if name == "taken":
        raise ValidationError({"name": "That name is taken"})
    if name == "closed":
        raise ValidationError("The register is closed")
    return group


class GroupCreateView(BaseServiceFormView):
    form_class = NameForm
    template_name = "forms/govuk_form.html"

    def get_initial(self):
        return {"name": "Suggested"}

    def perform(self, form):
        return group_create(**form.cleaned_data)

    def get_success_message(self, group):
        return f"{group.name} set up"

    def get_success_url(self, group):
        return f"/groups/{group.pk}/"


class TenantGroupRenameView(ServiceFormView):
    permission_required = "rename_groups"
    form_class = NameForm
    template_name = "forms/govuk_form.html"
    context_object_name = "group"
    success_message = "Renamed to {name}"

    def lookup(self, group_pk, **kwargs):
        try:
            return Group.objects.get(pk=group_pk)
        except Group.DoesNotExist:
            raise Http404 from None

    def perform(self, form):
        self.object.name = form.cleaned_data["name"]
        self.object.save()

    def get_success_url(self, result):
        return self.tenant_url("partnerships:dashboard")


def call(view, method="get", data=None, *, perms=(), partnership=True, **kwargs):
    request = getattr(RequestFactory(), method)("/form/", data or {})
    request._messages = CookieStorage(request)
    if partnership:
        request.partnership = SimpleNamespace(slug="north")
        request.tenant = SimpleNamespace(has=lambda perm: perm in perms, perms=frozenset(perms), roles=[])
    response = view.as_view()(request, **kwargs)
    if hasattr(response, "render"):
        response.render()
    response.messages = [str(m) for m in get_messages(request)]
    return response


def test_get_shows_the_form_with_its_initial_values_and_writes_nothing():
    response = call(GroupCreateView)
    assert response.status_code == 200
    assert 'value="Suggested"' in response.content.decode()
    assert not Group.objects.exists()


def test_success_runs_the_service_shows_the_message_and_redirects():
    response = call(GroupCreateView, "post", {"name": "Maths hub"})
    group = Group.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/groups/{group.pk}/"
    assert response.messages == ["Maths hub set up"]


def test_an_invalid_form_is_400_and_the_service_is_not_called():
    response = call(GroupCreateView, "post", {"name": ""})
    assert response.status_code == 400
    assert 'id="id_name-error"' in response.content.decode()
    assert not Group.objects.exists()
    assert response.messages == []


def test_a_service_error_naming_a_field_is_400_next_to_that_field_and_nothing_is_written():
    response = call(GroupCreateView, "post", {"name": "taken"})
    assert response.status_code == 400
    form = response.context_data["form"]
    assert form.errors == {"name": ["That name is taken"]}
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#id_name">That name is taken</a>' in html  # the summary links to the field
    assert 'id="id_name-error"' in html and "That name is taken" in html.split('id="id_name-error"')[1]
    assert 'value="taken"' in html  # what was typed is kept
    assert not Group.objects.exists()  # the service's write was rolled back
    assert response.messages == []


def test_a_plain_service_error_goes_to_the_top_of_the_form():
    response = call(GroupCreateView, "post", {"name": "closed"})
    assert response.status_code == 400
    form = response.context_data["form"]
    assert form.non_field_errors() == ["The register is closed"]
    assert form["name"].errors == []
    assert "The register is closed" in response.content.decode()
    assert not Group.objects.exists()


def test_tenant_view_checks_the_permission_before_anything_else():
    group = Group.objects.create(name="Before")
    with pytest.raises(PermissionDenied):
        call(TenantGroupRenameView, "post", {"name": "After"}, group_pk=group.pk)
    with pytest.raises(Http404):  # wired outside /p/<slug>/ by mistake: fails closed
        call(TenantGroupRenameView, perms=("rename_groups",), partnership=False, group_pk=group.pk)
    group.refresh_from_db()
    assert group.name == "Before"


def test_tenant_view_looks_up_its_object_404_whatever_the_method():
    perms = ("rename_groups",)
    for method in ("get", "post", "put"):
        with pytest.raises(Http404):
            call(TenantGroupRenameView, method, {"name": "x"}, perms=perms, group_pk=999_999)


def test_a_method_other_than_get_and_post_is_405_only_after_the_look_up():
    group = Group.objects.create(name="Before")
    for method in ("put", "patch", "delete"):
        response = call(TenantGroupRenameView, method, perms=("rename_groups",), group_pk=group.pk)
        assert response.status_code == 405
        assert response["Allow"] == "GET, POST, HEAD, OPTIONS"
    group.refresh_from_db()
    assert group.name == "Before"


def test_tenant_view_puts_its_object_in_the_context_and_redirects_under_the_partnership():
    group = Group.objects.create(name="Before")
    response = call(TenantGroupRenameView, perms=("rename_groups",), group_pk=group.pk)
    assert response.status_code == 200
    assert response.context_data["group"] == group

    response = call(TenantGroupRenameView, "post", {"name": "After"}, perms=("rename_groups",), group_pk=group.pk)
    assert response.status_code == 302
    assert response["Location"] == "/p/north/"
    assert response.messages == ["Renamed to After"]
    group.refresh_from_db()
    assert group.name == "After"
