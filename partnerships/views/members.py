"""The members directory, school pages, the register and census imports, figures and people.

Thin views: parse a form, call one service, redirect or re-render with the errors (status 400).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from core.forms import apply_service_errors
from core.pagination import paginate
from core.views import TenantViewMixin
from partnerships.calendar import financial_year_of
from partnerships.forms.members import (
    BudgetForm,
    CensusForm,
    CensusImportForm,
    DirectoryFilterForm,
    PersonForm,
    RegisterImportForm,
)
from partnerships.roles import Role
from partnerships.selectors import members as selectors
from partnerships.selectors.development import areas_for_school
from partnerships.selectors.groups import groups_for_school
from partnerships.services import members as services
from schools.models import Person

# A person's position -> the Commonroom role an invitation offers them (others choose on the invite page).
INVITE_ROLES = {
    Person.Position.HEADTEACHER: Role.HEADTEACHER,
    Person.Position.DEPUTY_HEAD: Role.DEPUTY,
    Person.Position.CHAIR_OF_GOVERNORS: Role.CHAIR_OF_GOVERNORS,
    Person.Position.GOVERNOR: Role.GOVERNOR,
}


class DirectoryView(TenantViewMixin, View):
    permission_required = "view_members"
    template_name = "schools/directory.html"

    def get(self, request, *args, **kwargs):
        form = DirectoryFilterForm(request.GET)
        valid = form.is_valid()
        filters = {key: form.cleaned_data.get(key, "") for key in ("q", "phase", "status")} if valid else {}
        page_obj = paginate(request, selectors.directory(**filters))
        context = {
            "form": form,
            "page_obj": page_obj,
            "filtered": any(filters.values()),
            "today": timezone.localdate(),
        }
        return render(request, self.template_name, context, status=200 if valid else 400)


class _SchoolLookup(View):
    """Finds the school (and person) in the URL after the permission check, before any handler runs,
    so a school that was never a member is 404 whatever the method."""

    def dispatch(self, request, *args, **kwargs):
        urn = kwargs["school_urn"]
        self.school = selectors.member_school_or_none(urn)
        if self.school is None:
            raise Http404("This school has never been a member of the partnership")
        if "person_pk" in kwargs:
            person_pk = kwargs["person_pk"]
            if person_pk > 2_147_483_647:
                raise Http404
            self.person = get_object_or_404(Person.objects.filter(school=self.school), pk=person_pk)
        return super().dispatch(request, *args, **kwargs)


class SchoolMixin(TenantViewMixin, _SchoolLookup):
    permission_required = "manage_members"

    def school_url(self, anchor: str = "") -> str:
        url = reverse(
            "members:school", kwargs={"partnership_slug": self.partnership.slug, "school_urn": self.school.urn}
        )
        return f"{url}#{anchor}" if anchor else url


class SchoolView(SchoolMixin):
    permission_required = "view_members"
    template_name = "schools/school.html"

    def get(self, request, *args, school_urn, **kwargs):
        school = self.school
        today = timezone.localdate()
        memberships = selectors.school_memberships(school)
        membership = memberships[0]
        is_current = membership.is_current(today)
        can_invite = request.tenant.has("manage_people") and is_current
        # People and roles are shown to those who may see the partnership's people (not LA observers).
        sees_people = request.tenant.has("view_people")
        people = []
        for person in selectors.school_people(school) if sees_people else ():
            invite_url = None
            if can_invite and person.user_id is None:
                query = {"full_name": person.full_name, "school": school.pk}
                if person.email:
                    query["email"] = person.email
                if person.position in INVITE_ROLES:
                    query["role"] = INVITE_ROLES[person.position].value
                invite_url = reverse("partnerships:invite", args=[self.partnership.slug]) + "?" + urlencode(query)
            people.append((person, invite_url))
        context = {
            "school": school,
            "membership": membership,
            "memberships": memberships,
            "people": people,
            "sees_people": sees_people,
            "roles": list(selectors.school_roles(school, today)) if sees_people else [],
            "censuses": list(selectors.school_censuses(school)),
            "budgets": list(selectors.school_budgets(school)),
            "can_manage": request.tenant.has("manage_members"),
            "today": today,
            "groups": list(groups_for_school(school)),
            "areas": list(areas_for_school(school)),
        }
        return render(request, self.template_name, context)


def _upload(form) -> tuple[bytes, str]:
    upload = form.cleaned_data["file"]
    return upload.read(), upload.name[:200]


class RegisterImportView(TenantViewMixin, View):
    permission_required = "manage_members"
    template_name = "schools/register_import.html"

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"form": RegisterImportForm()})

    def post(self, request, *args, **kwargs):
        form = RegisterImportForm(request.POST, request.FILES)
        if form.is_valid():
            data, filename = _upload(form)
            try:
                report = services.school_register_import(
                    actor=request.user,
                    data=data,
                    partnership=self.partnership,
                    add_as_members=form.cleaned_data["add_as_members"],
                    joined=form.cleaned_data["joined"],
                    approval_reference=form.cleaned_data["approval_reference"],
                    filename=filename,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"Imported {report.total} schools: {report}")
                return redirect("members:directory", partnership_slug=self.partnership.slug)
        return render(request, self.template_name, {"form": form}, status=400)


class CensusImportView(TenantViewMixin, View):
    permission_required = "manage_members"
    template_name = "schools/census_import.html"

    def get(self, request, *args, **kwargs):
        form = CensusImportForm(initial={"year": timezone.localdate().year})
        return render(request, self.template_name, {"form": form})

    def post(self, request, *args, **kwargs):
        form = CensusImportForm(request.POST, request.FILES)
        if form.is_valid():
            data, filename = _upload(form)
            try:
                report = services.census_import(
                    actor=request.user,
                    partnership=self.partnership,
                    year=form.cleaned_data["year"],
                    data=data,
                    filename=filename,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"January {form.cleaned_data['year']} census imported: {report}")
                return redirect("members:directory", partnership_slug=self.partnership.slug)
        return render(request, self.template_name, {"form": form}, status=400)


def _year_param(request) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and len(value) == 4 else None


class CensusRecordView(SchoolMixin):
    template_name = "schools/census_form.html"

    def get(self, request, *args, school_urn, **kwargs):
        school = self.school
        year = _year_param(request) or timezone.localdate().year
        census = selectors.school_censuses(school).filter(year=year).first()
        initial = {"year": year}
        if census:
            initial.update(headcount=census.headcount, fte=census.fte)
        return render(request, self.template_name, {"form": CensusForm(initial=initial), "school": school})

    def post(self, request, *args, school_urn, **kwargs):
        school = self.school
        form = CensusForm(request.POST)
        if form.is_valid():
            try:
                services.census_record(
                    actor=request.user, partnership=self.partnership, school=school, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"January {form.cleaned_data['year']} census figures saved")
                return redirect(self.school_url("figures"))
        return render(request, self.template_name, {"form": form, "school": school}, status=400)


class BudgetRecordView(SchoolMixin):
    template_name = "schools/budget_form.html"

    def get(self, request, *args, school_urn, **kwargs):
        school = self.school
        year = _year_param(request) or financial_year_of(timezone.localdate())
        budget = selectors.school_budgets(school).filter(financial_year=year).first()
        initial = {"financial_year": year}
        if budget:
            initial["amount"] = budget.amount
        return render(request, self.template_name, {"form": BudgetForm(initial=initial), "school": school})

    def post(self, request, *args, school_urn, **kwargs):
        school = self.school
        form = BudgetForm(request.POST)
        if form.is_valid():
            try:
                services.budget_record(
                    actor=request.user, partnership=self.partnership, school=school, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                year = form.cleaned_data["financial_year"]
                messages.success(request, f"Budget for {year}-{str(year + 1)[-2:]} saved")
                return redirect(self.school_url("figures"))
        return render(request, self.template_name, {"form": form, "school": school}, status=400)


class PersonAddView(SchoolMixin):
    template_name = "schools/person_form.html"

    def get(self, request, *args, school_urn, **kwargs):
        school = self.school
        return render(request, self.template_name, {"form": PersonForm(), "school": school})

    def post(self, request, *args, school_urn, **kwargs):
        school = self.school
        form = PersonForm(request.POST)
        if form.is_valid():
            try:
                person = services.person_create(
                    actor=request.user, partnership=self.partnership, school=school, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"{person.full_name} added")
                return redirect(self.school_url("people"))
        return render(request, self.template_name, {"form": form, "school": school}, status=400)


class PersonEditView(SchoolMixin):
    template_name = "schools/person_form.html"

    def get(self, request, *args, school_urn, person_pk, **kwargs):
        school, person = self.school, self.person
        form = PersonForm(initial={"full_name": person.full_name, "email": person.email, "position": person.position})
        return render(request, self.template_name, {"form": form, "school": school, "person": person})

    def post(self, request, *args, school_urn, person_pk, **kwargs):
        school, person = self.school, self.person
        form = PersonForm(request.POST)
        if form.is_valid():
            try:
                services.person_update(actor=request.user, person=person, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"{person.full_name}'s details saved")
                return redirect(self.school_url("people"))
        return render(request, self.template_name, {"form": form, "school": school, "person": person}, status=400)


class PersonRemoveView(SchoolMixin):
    template_name = "schools/person_remove.html"

    def get(self, request, *args, school_urn, person_pk, **kwargs):
        school, person = self.school, self.person
        return render(request, self.template_name, {"school": school, "person": person})

    def post(self, request, *args, school_urn, person_pk, **kwargs):
        school, person = self.school, self.person
        try:
            services.person_remove(actor=request.user, person=person)
        except ValidationError as error:
            context = {"school": school, "person": person, "errors": error.messages}
            return render(request, self.template_name, context, status=400)
        messages.success(request, f"{person.full_name} removed from {school.name}")
        return redirect(self.school_url("people"))
