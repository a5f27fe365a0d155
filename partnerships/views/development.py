from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import TemplateView

from core.views import ServiceFormView, TableExportView, TenantViewMixin
from partnerships.calendar import academic_year_label
from partnerships.forms.development import (
    AreaLeadForm,
    AreaParticipationForm,
    DevelopmentActionForm,
    DevelopmentAreaChangeForm,
    DevelopmentAreaForm,
    DevelopmentMilestoneForm,
)
from partnerships.models import AreaParticipation, DevelopmentAction, DevelopmentArea, DevelopmentMilestone
from partnerships.selectors.constitution import constitution_of
from partnerships.selectors.development import (
    area_detail,
    area_years,
    areas_for_year,
    areas_table,
    participation_for_year,
    participation_table,
    year_from,
)
from partnerships.services.development import (
    area_participation_add,
    area_participation_remove,
    area_participation_update,
    development_action_add,
    development_action_update,
    development_area_create,
    development_area_update,
    development_milestone_add,
    development_milestone_update,
)


def _area_or_404(area_pk):
    return get_object_or_404(DevelopmentArea.objects.select_related("coordinator", "coordinator__school"), pk=area_pk)


def _to_area(partnership, area_id):
    return redirect("development:detail", partnership_slug=partnership.slug, area_pk=area_id)


class AreaListView(TenantViewMixin, TemplateView):
    permission_required = "view_governance"
    template_name = "partnerships/development/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = year_from(self.request.GET.get("year"))
        areas = list(areas_for_year(year))
        rules = constitution_of(self.partnership)
        context.update(
            year=year,
            year_label=academic_year_label(year),
            years=[(y, academic_year_label(y)) for y in area_years()],
            areas=areas,
            minimum=rules.development_area_minimum,
            target=rules.development_area_target,
            off_target=bool(rules.development_area_target) and abs(len(areas) - rules.development_area_target) > 1,
        )
        return context


class AreaListExportView(TableExportView):
    """The year's development areas (`?year=`) as the areas page lists them, as CSV or XLSX."""

    permission_required = "view_governance"

    def export_table(self, **kwargs):
        self.year = year_from(self.request.GET.get("year"))
        return areas_table(areas_for_year(self.year), self.year)

    def export_filename(self):
        return f"{self.partnership.slug}-development-areas-{academic_year_label(self.year).replace('/', '-')}"


class ParticipationExportView(TableExportView):
    """The year's participation (`?year=`) as its page lists it, as CSV or XLSX."""

    permission_required = "view_governance"

    def export_table(self, **kwargs):
        self.year = year_from(self.request.GET.get("year"))
        return participation_table(participation_for_year(self.partnership, self.year))

    def export_filename(self):
        return f"{self.partnership.slug}-participation-{academic_year_label(self.year).replace('/', '-')}"


class ParticipationView(TenantViewMixin, TemplateView):
    permission_required = "view_governance"
    template_name = "partnerships/development/participation.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["year_participation"] = participation_for_year(
            self.partnership, year_from(self.request.GET.get("year"))
        )
        context["years"] = [(y, academic_year_label(y)) for y in area_years()]
        return context


class AreaDetailView(TenantViewMixin, TemplateView):
    permission_required = "view_governance"
    template_name = "partnerships/development/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(area_detail(_area_or_404(kwargs["area_pk"])))
        context["can_manage"] = self.request.tenant.has("manage_governance")
        return context

    def lookup(self, **kwargs):
        return _area_or_404(kwargs["area_pk"])


class AreaCreateView(ServiceFormView):
    permission_required = "manage_governance"
    template_name = "partnerships/development/area_form.html"
    form_class = DevelopmentAreaForm

    def get_initial(self):
        return {"academic_year": year_from(self.request.GET.get("year"))}

    def perform(self, form):
        return development_area_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)

    def get_success_message(self, area):
        return f"{area.name} added for {academic_year_label(area.academic_year)}"

    def get_success_url(self, area):
        return self.tenant_url("development:detail", area_pk=area.pk)


class _AreaFormView(ServiceFormView):
    """A form about one development area of this partnership, named in the URL."""

    permission_required = "manage_governance"
    context_object_name = "area"

    def lookup(self, area_pk, **kwargs):
        return _area_or_404(area_pk)

    def get_success_url(self, result):
        return self.tenant_url("development:detail", area_pk=self.object.pk)


class AreaChangeView(_AreaFormView):
    template_name = "partnerships/development/area_form.html"
    form_class = DevelopmentAreaChangeForm
    success_message = "{name} saved"

    def get_initial(self):
        return {name: getattr(self.object, name) for name in ("name", "objectives", "status", "evaluation")} | {
            "coordinator": self.object.coordinator_id
        }

    def perform(self, form):
        development_area_update(actor=self.request.user, area=self.object, **form.cleaned_data)


class _AreaItemView(_AreaFormView):
    """Add one item (an action, a milestone, a school) to an area's plan."""

    template_name = "partnerships/development/item_form.html"
    heading = ""
    button = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, button=self.button, **kwargs)

    def get_success_message(self, result):
        return result


class ActionAddView(_AreaItemView):
    form_class = DevelopmentActionForm
    heading, button = "Add an action", "Add action"

    def perform(self, form):
        development_action_add(actor=self.request.user, area=self.object, **form.cleaned_data)
        return "Action added to the plan"


class MilestoneAddView(_AreaItemView):
    form_class = DevelopmentMilestoneForm
    heading, button = "Add a milestone", "Add milestone"

    def perform(self, form):
        development_milestone_add(actor=self.request.user, area=self.object, **form.cleaned_data)
        return "Milestone added to the plan"


class ParticipationAddView(_AreaItemView):
    form_class = AreaParticipationForm
    heading, button = "Add a school", "Add school"

    def get_form_kwargs(self):
        taking_part = AreaParticipation.objects.filter(area=self.object).values_list("school_id", flat=True)
        return super().get_form_kwargs() | {"exclude_school_ids": list(taking_part)}

    def perform(self, form):
        participation = area_participation_add(actor=self.request.user, area=self.object, **form.cleaned_data)
        return f"{participation.school.name} takes part in {self.object.name}"


class _PlanItemChangeView(ServiceFormView):
    """Change one action or milestone of an area's plan (its status, most often)."""

    permission_required = "manage_governance"
    template_name = "partnerships/development/item_form.html"
    model = None
    kwarg = ""
    fields: tuple[str, ...] = ()
    heading = ""
    context_object_name = "item"

    def lookup(self, **kwargs):
        return get_object_or_404(self.model.objects.select_related("area"), pk=kwargs[self.kwarg])

    def get_initial(self):
        return {name: getattr(self.object, name) for name in self.fields}

    def get_context_data(self, **kwargs):
        return super().get_context_data(area=self.object.area, heading=self.heading, button="Save changes", **kwargs)

    def get_success_message(self, result):
        return f"{self.heading.removeprefix('Change the ').capitalize()} saved"

    def get_success_url(self, result):
        return self.tenant_url("development:detail", area_pk=self.object.area_id)


class ActionChangeView(_PlanItemChangeView):
    model, kwarg, form_class = DevelopmentAction, "dev_action_pk", DevelopmentActionForm
    fields = ("description", "owner", "due", "status")
    heading = "Change the action"

    def perform(self, form):
        development_action_update(actor=self.request.user, action=self.object, **form.cleaned_data)


class MilestoneChangeView(_PlanItemChangeView):
    model, kwarg, form_class = DevelopmentMilestone, "milestone_pk", DevelopmentMilestoneForm
    fields = ("description", "due", "status")
    heading = "Change the milestone"

    def perform(self, form):
        development_milestone_update(actor=self.request.user, milestone=self.object, **form.cleaned_data)


def _participation_or_404(participation_pk):
    return get_object_or_404(AreaParticipation.objects.select_related("area", "school", "lead"), pk=participation_pk)


class ParticipationChangeView(ServiceFormView):
    permission_required = "manage_governance"
    template_name = "partnerships/development/participation_change.html"
    form_class = AreaLeadForm
    context_object_name = "participation"

    def lookup(self, participation_pk, **kwargs):
        return _participation_or_404(participation_pk)

    def get_initial(self):
        return {"lead": self.object.lead_id}

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"school": self.object.school}

    def perform(self, form):
        area_participation_update(actor=self.request.user, participation=self.object, **form.cleaned_data)

    def get_success_message(self, result):
        return f"{self.object.school.name}'s lead for {self.object.area.name} saved"

    def get_success_url(self, result):
        return self.tenant_url("development:detail", area_pk=self.object.area_id)


class ParticipationRemoveView(TenantViewMixin, View):
    permission_required = "manage_governance"
    template_name = "partnerships/development/participation_remove.html"

    def get(self, request, *args, participation_pk, **kwargs):
        return render(request, self.template_name, {"participation": _participation_or_404(participation_pk)})

    def post(self, request, *args, participation_pk, **kwargs):
        participation = _participation_or_404(participation_pk)
        try:
            area_participation_remove(actor=request.user, participation=participation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{participation.school.name} no longer takes part in {participation.area.name}")
        return _to_area(self.partnership, participation.area_id)
