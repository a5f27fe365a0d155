"""The members directory, school pages, the register and census imports, figures and people.

Thin views: parse a form, call one service, redirect or re-render with the errors (status 400).
"""

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from core.pagination import paginate
from core.views import ServiceFormView, TableExportView, TenantViewMixin
from partnerships.calendar import financial_year_of
from partnerships.forms.members import (
    BudgetForm,
    CensusForm,
    CensusImportForm,
    DirectoryFilterForm,
    PersonForm,
    RegisterImportForm,
)
from partnerships.models.constitution import InformationCategory as Category
from partnerships.roles import Role
from partnerships.selectors import members as selectors
from partnerships.selectors.constitution import information_sharing_rows
from partnerships.selectors.development import areas_for_school
from partnerships.selectors.groups import groups_for_school
from partnerships.selectors.permissions import school_privacy
from partnerships.services import members as services
from schools.models import Person

# A person's position -> the Commonroom role an invitation offers them (others choose on the invite page).
INVITE_ROLES = {
    Person.Position.HEADTEACHER: Role.HEADTEACHER,
    Person.Position.DEPUTY_HEAD: Role.DEPUTY,
    Person.Position.CHAIR_OF_GOVERNORS: Role.CHAIR_OF_GOVERNORS,
    Person.Position.GOVERNOR: Role.GOVERNOR,
}


def _directory_filters(form: DirectoryFilterForm) -> dict[str, str]:
    """The directory's search and filters, or none while the form has errors."""
    if not form.is_valid():
        return {}
    return {key: form.cleaned_data.get(key, "") for key in ("q", "phase", "status")}


class DirectoryView(TenantViewMixin, View):
    permission_required = "view_members"
    template_name = "schools/directory.html"

    def get(self, request, *args, **kwargs):
        form = DirectoryFilterForm(request.GET)
        filters = _directory_filters(form)
        valid = form.is_valid()
        page_obj = paginate(request, selectors.directory(**filters))
        context = {
            "form": form,
            "page_obj": page_obj,
            "filtered": any(filters.values()),
            "today": timezone.localdate(),
        }
        return render(request, self.template_name, context, status=200 if valid else 400)


class DirectoryExportView(TableExportView):
    """The directory as the search in the query string finds it, as CSV or XLSX; a search the page
    would refuse sends the reader back to it, where the error is explained."""

    permission_required = "view_members"

    def get(self, request, *args, **kwargs):
        form = DirectoryFilterForm(request.GET)
        if not form.is_valid():
            return redirect(self.tenant_url("members:directory") + "?" + request.GET.urlencode())
        self.filters = _directory_filters(form)
        return super().get(request, *args, **kwargs)

    def export_table(self, **kwargs):
        today = timezone.localdate()
        return selectors.directory_table(selectors.directory(**self.filters, on=today), today)

    def export_filename(self):
        return f"{self.partnership.slug}-member-schools"


class _SchoolLookup:
    """Finds the school (and person) in the URL before the permission check and any handler, so a
    school that was never a member is 404 whatever the method, and so is a page of the school's
    private records (`private_category`) to anyone who may not see them: to them it does not exist."""

    private_category: str | None = None

    def dispatch(self, request, *args, **kwargs):
        urn = kwargs["school_urn"]
        self.school = selectors.member_school_or_none(urn)
        if self.school is None:
            raise Http404("This school has never been a member of the partnership")
        self.privacy = school_privacy(request.tenant)
        if self.private_category and not self.privacy.sees(self.school, self.private_category):
            raise Http404("This school's records are not shared with you")
        if "person_pk" in kwargs:
            person_pk = kwargs["person_pk"]
            if person_pk > 2_147_483_647:
                raise Http404
            self.person = get_object_or_404(Person.objects.filter(school=self.school), pk=person_pk)
        self.check_school_permission()
        return super().dispatch(request, *args, **kwargs)

    def check_school_permission(self) -> None:
        """For pages whose permission depends on the school in the URL as well as the partnership."""


class SchoolMixin(_SchoolLookup, TenantViewMixin, View):
    permission_required = "manage_members"

    def school_url(self, anchor: str = "") -> str:
        url = reverse(
            "members:school", kwargs={"partnership_slug": self.partnership.slug, "school_urn": self.school.urn}
        )
        return f"{url}#{anchor}" if anchor else url


class SchoolView(SchoolMixin):
    """A member school's page. Everyone sees its name, phase, address and headteacher; its people, their
    contact details, census and budget only those SchoolPrivacy lets see them (the rest is not loaded)."""

    permission_required = "view_members"
    template_name = "schools/school.html"

    def get(self, request, *args, school_urn, **kwargs):
        school = self.school
        privacy = self.privacy
        today = timezone.localdate()
        memberships = selectors.school_memberships(school)
        membership = memberships[0]
        is_current = membership.is_current(today)
        can_invite = request.tenant.has("manage_people") and is_current
        # People and roles are shown to those who may see the partnership's people (not LA observers),
        # and of this school only if its staff contacts are shared with them.
        sees_people = request.tenant.has("view_people") and privacy.sees(school, Category.STAFF_CONTACTS)
        sees_census = privacy.sees(school, Category.CENSUS)
        sees_budget = privacy.sees(school, Category.BUDGET)
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
            "headteachers": [] if sees_people else list(selectors.school_headteachers(school)),
            "sees_census": sees_census,
            "sees_budget": sees_budget,
            "not_shared": _not_shared(sees_people=sees_people, sees_census=sees_census, sees_budget=sees_budget),
            "sharing": information_sharing_rows(privacy.constitution),
            "sharing_reason": privacy.constitution.information_sharing,
            "constitution": privacy.constitution,
            "roles": list(selectors.school_roles(school, today)) if sees_people else [],
            "censuses": list(selectors.school_censuses(school)) if sees_census else [],
            "budgets": list(selectors.school_budgets(school)) if sees_budget else [],
            "can_manage": request.tenant.has("manage_members"),
            "can_manage_people": can_manage_school_people(request.tenant, school),
            "today": today,
            "groups": list(groups_for_school(school)),
            "areas": list(areas_for_school(school)),
        }
        return render(request, self.template_name, context)


def _not_shared(*, sees_people: bool, sees_census: bool, sees_budget: bool) -> str:
    """What of a school's records the viewer does not see, as the sentence the page says it in."""
    hidden = [
        what
        for what, seen in (
            ("people and their contact details", sees_people),
            ("census figures", sees_census),
            ("budget", sees_budget),
        )
        if not seen
    ]
    if not hidden:
        return ""
    listed = hidden[0] if len(hidden) == 1 else ", ".join(hidden[:-1]) + " and " + hidden[-1]
    return f"This school's {listed} {'is' if hidden == ['budget'] else 'are'} not shared with you"


def _upload(form) -> tuple[bytes, str]:
    upload = form.cleaned_data["file"]
    return upload.read(), upload.name[:200]


class RegisterImportView(ServiceFormView):
    permission_required = "manage_members"
    template_name = "schools/register_import.html"
    form_class = RegisterImportForm

    def perform(self, form):
        data, filename = _upload(form)
        return services.school_register_import(
            actor=self.request.user,
            data=data,
            partnership=self.partnership,
            add_as_members=form.cleaned_data["add_as_members"],
            joined=form.cleaned_data["joined"],
            approval_reference=form.cleaned_data["approval_reference"],
            filename=filename,
        )

    def get_success_message(self, report):
        return f"Imported {report.total} schools: {report}"

    def get_success_url(self, report):
        return self.tenant_url("members:directory")


class CensusImportView(ServiceFormView):
    permission_required = "manage_members"
    template_name = "schools/census_import.html"
    form_class = CensusImportForm

    def get_initial(self):
        return {"year": timezone.localdate().year}

    def perform(self, form):
        data, filename = _upload(form)
        return services.census_import(
            actor=self.request.user,
            partnership=self.partnership,
            year=form.cleaned_data["year"],
            data=data,
            filename=filename,
        )

    def get_success_message(self, report):
        return f"January {self.form.cleaned_data['year']} census imported: {report}"

    def get_success_url(self, report):
        return self.tenant_url("members:directory")


def _year_param(request) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and len(value) == 4 else None


class _SchoolFormView(SchoolMixin, ServiceFormView):
    """A form about one member school (and person) of the URL, found before any handler runs."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(school=self.school, **kwargs)


class CensusRecordView(_SchoolFormView):
    private_category = Category.CENSUS
    template_name = "schools/census_form.html"
    form_class = CensusForm
    success_message = "January {year} census figures saved"

    def get_initial(self):
        year = _year_param(self.request) or timezone.localdate().year
        census = selectors.school_censuses(self.school).filter(year=year).first()
        return {"year": year, **({"headcount": census.headcount, "fte": census.fte} if census else {})}

    def perform(self, form):
        services.census_record(
            actor=self.request.user, partnership=self.partnership, school=self.school, **form.cleaned_data
        )

    def get_success_url(self, result):
        return self.school_url("figures")


class BudgetRecordView(_SchoolFormView):
    private_category = Category.BUDGET
    template_name = "schools/budget_form.html"
    form_class = BudgetForm

    def get_initial(self):
        year = _year_param(self.request) or financial_year_of(timezone.localdate())
        budget = selectors.school_budgets(self.school).filter(financial_year=year).first()
        return {"financial_year": year, **({"amount": budget.amount} if budget else {})}

    def perform(self, form):
        services.budget_record(
            actor=self.request.user, partnership=self.partnership, school=self.school, **form.cleaned_data
        )

    def get_success_message(self, result):
        year = self.form.cleaned_data["financial_year"]
        return f"Budget for {year}-{str(year + 1)[-2:]} saved"

    def get_success_url(self, result):
        return self.school_url("figures")


class _SchoolPeopleFormView(_SchoolFormView):
    """The people of a school are kept by the coordinator, and by the school's own headteacher for their
    school only (a school-level permission, so a head of another school is refused)."""

    permission_required = "view_members"
    private_category = Category.STAFF_CONTACTS

    def check_school_permission(self) -> None:
        if not can_manage_school_people(self.request.tenant, self.school):
            raise PermissionDenied


def can_manage_school_people(tenant, school) -> bool:
    return tenant.has("manage_members") or tenant.has_for_school("manage_school_people", school)


class PersonAddView(_SchoolPeopleFormView):
    template_name = "schools/person_form.html"
    form_class = PersonForm

    def perform(self, form):
        return services.person_create(
            actor=self.request.user, partnership=self.partnership, school=self.school, **form.cleaned_data
        )

    def get_success_message(self, person):
        return f"{person.full_name} added"

    def get_success_url(self, person):
        return self.school_url("people")


class PersonEditView(_SchoolPeopleFormView):
    template_name = "schools/person_form.html"
    form_class = PersonForm

    def get_initial(self):
        person = self.person
        return {"full_name": person.full_name, "email": person.email, "position": person.position}

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)

    def perform(self, form):
        services.person_update(actor=self.request.user, person=self.person, **form.cleaned_data)

    def get_success_message(self, result):
        return f"{self.person.full_name}'s details saved"

    def get_success_url(self, result):
        return self.school_url("people")


class PersonRemoveView(_SchoolPeopleFormView):
    """A confirmation: the form has no fields, the button is the answer."""

    template_name = "schools/person_remove.html"
    form_class = forms.Form

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)

    def perform(self, form):
        services.person_remove(actor=self.request.user, person=self.person)

    def get_success_message(self, result):
        return f"{self.person.full_name} removed from {self.school.name}"

    def get_success_url(self, result):
        return self.school_url("people")
