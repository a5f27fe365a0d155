"""People's data: what the partnership holds about a person (page, JSON, PDF) and erasing it on request."""

import json

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.views import View
from django.views.generic import TemplateView

from accounts.models import User
from core.forms import Form
from core.views import ServiceFormView, TableExportView, TenantViewMixin, row_id
from meetings.pack import render_pdf
from reports.selectors.people import erasure_refusal, is_known, known_people, known_people_table, personal_data
from reports.services.people import person_erase


class PeopleDataView(TenantViewMixin, TemplateView):
    """Everyone the partnership holds records about: the way to a person's export or erasure."""

    permission_required = "manage_people"
    template_name = "reports/people.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"people": known_people(self.partnership)}


class PeopleDataExportView(TableExportView):
    """The people's data list as CSV or XLSX."""

    permission_required = "manage_people"

    def export_table(self, **kwargs):
        return known_people_table(known_people(self.partnership))

    def export_filename(self):
        return f"{self.partnership.slug}-peoples-data"


class _PersonMixin:
    permission_required = "manage_people"

    def lookup(self, user_pk, **kwargs):
        return self.person(user_pk)

    def person(self, user_pk) -> User:
        """Someone who holds or held a role here; anyone else is not this partnership's to show (404)."""
        person = get_object_or_404(User, pk=row_id(user_pk))
        if not is_known(self.partnership, person.pk):
            raise Http404("No such person in this partnership")
        return person


class PersonDataView(_PersonMixin, TenantViewMixin, TemplateView):
    template_name = "reports/person.html"

    def get_context_data(self, **kwargs):
        person = self.person(kwargs["user_pk"])
        return super().get_context_data(**kwargs) | {
            "data": personal_data(partnership=self.partnership, person=person),
            "person": person,
            "refusal": erasure_refusal(partnership=self.partnership, person=person, actor=self.request.user),
        }


class PersonDataExportView(_PersonMixin, TenantViewMixin, View):
    """The subject access export: JSON for a machine, a tagged PDF for the person to read."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, user_pk, data_format, **kwargs):
        fmt = data_format
        if fmt not in ("json", "pdf"):
            raise Http404
        data = personal_data(partnership=self.partnership, person=self.person(user_pk))
        name = f"personal-data-{slugify(data.person.full_name) or data.person.pk}"
        if fmt == "json":
            body = json.dumps(data.as_json(), indent=2, ensure_ascii=False).encode()
            response = HttpResponse(body, content_type="application/json; charset=utf-8")
        else:
            response = HttpResponse(
                render_pdf("reports/pdf/person.html", {"data": data}), content_type="application/pdf"
            )
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        response["Cache-Control"] = "private, no-store"
        return response


class EraseForm(Form):
    confirm = forms.BooleanField(
        label="I understand that their name and contact details are removed for good",
        error_messages={"required": "Confirm that you understand their details are removed for good"},
    )


class PersonEraseView(_PersonMixin, ServiceFormView):
    template_name = "reports/person_erase.html"
    form_class = EraseForm
    context_object_name = "person"

    def get_context_data(self, **kwargs):
        refusal = erasure_refusal(partnership=self.partnership, person=self.object, actor=self.request.user)
        return super().get_context_data(**kwargs) | {"refusal": refusal}

    def perform(self, form):
        return person_erase(actor=self.request.user, partnership=self.partnership, person=self.object)

    def get_success_message(self, person):
        return f"Their details are erased: their records now show “{person.full_name}”"

    def get_success_url(self, person):
        return self.tenant_url("reports:person", user_pk=person.pk)
