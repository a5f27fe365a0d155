from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import TemplateView

from core.forms import apply_service_errors
from core.views import TenantViewMixin
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
    participation_for_year,
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
            off_target=rules.development_area_target > 0 and abs(len(areas) - rules.development_area_target) > 1,
        )
        return context


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


class AreaCreateView(TenantViewMixin, View):
    permission_required = "manage_governance"
    template_name = "partnerships/development/area_form.html"

    def get(self, request, *args, **kwargs):
        year = year_from(request.GET.get("year"))
        form = DevelopmentAreaForm(initial={"academic_year": year})
        return render(request, self.template_name, {"form": form})

    def post(self, request, *args, **kwargs):
        form = DevelopmentAreaForm(request.POST)
        if form.is_valid():
            try:
                area = development_area_create(actor=request.user, partnership=self.partnership, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"{area.name} added for {academic_year_label(area.academic_year)}")
                return _to_area(self.partnership, area.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class AreaChangeView(TenantViewMixin, View):
    permission_required = "manage_governance"
    template_name = "partnerships/development/area_form.html"

    def get(self, request, *args, area_pk, **kwargs):
        area = _area_or_404(area_pk)
        initial = {
            "name": area.name,
            "coordinator": area.coordinator_id,
            "objectives": area.objectives,
            "status": area.status,
            "evaluation": area.evaluation,
        }
        return render(request, self.template_name, {"form": DevelopmentAreaChangeForm(initial=initial), "area": area})

    def post(self, request, *args, area_pk, **kwargs):
        area = _area_or_404(area_pk)
        form = DevelopmentAreaChangeForm(request.POST)
        if form.is_valid():
            try:
                development_area_update(actor=request.user, area=area, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"{form.cleaned_data['name']} saved")
                return _to_area(self.partnership, area.pk)
        return render(request, self.template_name, {"form": form, "area": area}, status=400)


class _AreaItemView(TenantViewMixin, View):
    """Add one item (an action, a milestone, a school) to an area's plan."""

    permission_required = "manage_governance"
    template_name = "partnerships/development/item_form.html"
    form_class = None
    heading = ""
    button = ""

    def make_form(self, area, data=None):
        return self.form_class(data)

    def context(self, area, form):
        return {"form": form, "area": area, "heading": self.heading, "button": self.button}

    def get(self, request, *args, area_pk, **kwargs):
        area = _area_or_404(area_pk)
        return render(request, self.template_name, self.context(area, self.make_form(area)))

    def post(self, request, *args, area_pk, **kwargs):
        area = _area_or_404(area_pk)
        form = self.make_form(area, request.POST)
        if form.is_valid():
            try:
                message = self.save(area, form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, message)
                return _to_area(self.partnership, area.pk)
        return render(request, self.template_name, self.context(area, form), status=400)


class ActionAddView(_AreaItemView):
    form_class = DevelopmentActionForm
    heading, button = "Add an action", "Add action"

    def save(self, area, data):
        development_action_add(actor=self.request.user, area=area, **data)
        return "Action added to the plan"


class MilestoneAddView(_AreaItemView):
    form_class = DevelopmentMilestoneForm
    heading, button = "Add a milestone", "Add milestone"

    def save(self, area, data):
        development_milestone_add(actor=self.request.user, area=area, **data)
        return "Milestone added to the plan"


class ParticipationAddView(_AreaItemView):
    form_class = AreaParticipationForm
    heading, button = "Add a school", "Add school"

    def make_form(self, area, data=None):
        taking_part = AreaParticipation.objects.filter(area=area).values_list("school_id", flat=True)
        return AreaParticipationForm(data, exclude_school_ids=list(taking_part))

    def save(self, area, data):
        participation = area_participation_add(actor=self.request.user, area=area, **data)
        return f"{participation.school.name} takes part in {area.name}"


class _PlanItemChangeView(TenantViewMixin, View):
    """Change one action or milestone of an area's plan (its status, most often)."""

    permission_required = "manage_governance"
    template_name = "partnerships/development/item_form.html"
    model = None
    kwarg = ""
    form_class = None
    fields: tuple[str, ...] = ()
    heading = ""

    def get_item(self, pk):
        return get_object_or_404(self.model.objects.select_related("area"), pk=pk)

    def context(self, item, form):
        return {"form": form, "area": item.area, "heading": self.heading, "button": "Save changes", "item": item}

    def get(self, request, *args, **kwargs):
        item = self.get_item(kwargs[self.kwarg])
        form = self.form_class(initial={name: getattr(item, name) for name in self.fields})
        return render(request, self.template_name, self.context(item, form))

    def post(self, request, *args, **kwargs):
        item = self.get_item(kwargs[self.kwarg])
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.save(item, form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"{self.heading.removeprefix('Change the ').capitalize()} saved")
                return _to_area(self.partnership, item.area_id)
        return render(request, self.template_name, self.context(item, form), status=400)


class ActionChangeView(_PlanItemChangeView):
    model, kwarg, form_class = DevelopmentAction, "dev_action_pk", DevelopmentActionForm
    fields = ("description", "owner", "due", "status")
    heading = "Change the action"

    def save(self, item, data):
        development_action_update(actor=self.request.user, action=item, **data)


class MilestoneChangeView(_PlanItemChangeView):
    model, kwarg, form_class = DevelopmentMilestone, "milestone_pk", DevelopmentMilestoneForm
    fields = ("description", "due", "status")
    heading = "Change the milestone"

    def save(self, item, data):
        development_milestone_update(actor=self.request.user, milestone=item, **data)


def _participation_or_404(participation_pk):
    return get_object_or_404(AreaParticipation.objects.select_related("area", "school", "lead"), pk=participation_pk)


class ParticipationChangeView(TenantViewMixin, View):
    permission_required = "manage_governance"
    template_name = "partnerships/development/participation_change.html"

    def get(self, request, *args, participation_pk, **kwargs):
        participation = _participation_or_404(participation_pk)
        form = AreaLeadForm(initial={"lead": participation.lead_id}, school=participation.school)
        return render(request, self.template_name, {"form": form, "participation": participation})

    def post(self, request, *args, participation_pk, **kwargs):
        participation = _participation_or_404(participation_pk)
        form = AreaLeadForm(request.POST, school=participation.school)
        if form.is_valid():
            try:
                area_participation_update(actor=request.user, participation=participation, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"{participation.school.name}'s lead for {participation.area.name} saved")
                return _to_area(self.partnership, participation.area_id)
        return render(request, self.template_name, {"form": form, "participation": participation}, status=400)


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
