"""The Kent PEP headteacher's pages: their plans, and a plan's outcomes, CPD (required, attended,
missing), leadership support days and performance-management panel. A plan is the PEP's own and the
partnership manager's (the coordinator): to anyone else it does not exist."""

from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from accounts.models import User
from core.views import ServiceFormView, TableExportView, TenantViewMixin, row_id
from partnerships.calendar import academic_year_label, academic_year_of
from partnerships.models import Membership, RoleAssignment
from partnerships.roles import Role
from schools.models import School
from subscriptions.forms import (
    AnnualReviewForm,
    CpdForm,
    MilestoneMetForm,
    PanelMemberForm,
    PepOutcomeForm,
    PepPlanForm,
    SupportDayForm,
)
from subscriptions.models import PanelMember, PepMilestone, PepPlan, SupportDay
from subscriptions.selectors import SUPPORT_DAYS_A_YEAR, pep_cpd_summary, pep_plans_readable, pep_plans_table
from subscriptions.services.pep import (
    pep_annual_review_record,
    pep_cpd_record,
    pep_milestone_met,
    pep_outcome_add,
    pep_panel_member_add,
    pep_plan_create,
    pep_support_day_record,
)
from subscriptions.views.credits import MANAGE


def _may_see(request, plan: PepPlan) -> bool:
    return request.tenant.has(MANAGE) or plan.pep_id == request.user.pk


class _PlanMixin:
    def lookup(self, **kwargs):
        plan = get_object_or_404(PepPlan.objects.select_related("pep", "partnership"), pk=row_id(kwargs["plan_pk"]))
        if not _may_see(self.request, plan):
            raise Http404("This plan is not shared with you")
        return plan

    def get_success_url(self, result):
        return self.tenant_url("subscriptions:pep_plan", plan_pk=self.object.pk)


class PepPlansView(TenantViewMixin, TemplateView):
    template_name = "subscriptions/pep_plans.html"

    def get_context_data(self, **kwargs):
        plans = pep_plans_readable(self.request.tenant)
        return super().get_context_data(**kwargs) | {"plans": plans, "manages": self.request.tenant.has(MANAGE)}


class PepPlansExportView(TableExportView):
    """The plans the reader may read (their own, or every one to the partnership manager), as the
    page lists them, as CSV or XLSX."""

    def export_table(self, **kwargs):
        return pep_plans_table(pep_plans_readable(self.request.tenant))

    def export_filename(self):
        return f"{self.partnership.slug}-pep-plans"


class PepPlanView(_PlanMixin, TenantViewMixin, TemplateView):
    template_name = "subscriptions/pep_plan.html"

    def get_context_data(self, **kwargs):
        plan = self.lookup(**kwargs)
        milestones: dict[int, list] = {}
        for milestone in PepMilestone.objects.filter(outcome__plan=plan).order_by("due", "pk"):
            milestones.setdefault(milestone.outcome_id, []).append(milestone)
        outcomes = list(plan.outcomes.all())
        for outcome in outcomes:
            outcome.milestone_list = milestones.get(outcome.pk, [])
        support = list(SupportDay.objects.filter(plan=plan).select_related("school"))
        return super().get_context_data(**kwargs) | {
            "plan": plan,
            "year_label": academic_year_label(plan.year),
            "outcomes": outcomes,
            "cpd": pep_cpd_summary(plan),
            "support": support,
            "support_total": sum((day.days for day in support), Decimal("0")),
            "support_most": SUPPORT_DAYS_A_YEAR,
            "panel": list(PanelMember.objects.filter(plan=plan).select_related("user")),
            "manages": self.request.tenant.has(MANAGE),
        }


class PepPlanCreateView(ServiceFormView):
    permission_required = MANAGE
    template_name = "subscriptions/pep_form.html"
    form_class = PepPlanForm
    extra_context = {"heading": "Set up a PEP headteacher's plan", "button": "Set up the plan"}

    def get_form_kwargs(self):
        advisers = RoleAssignment.objects.filter(partnership=self.partnership, role=Role.ADVISER).values("user_id")
        return super().get_form_kwargs() | {"pep_choices": User.objects.filter(pk__in=advisers).order_by("full_name")}

    def perform(self, form):
        year = academic_year_of(timezone.localdate())
        return pep_plan_create(actor=self.request.user, partnership=self.partnership, year=year, **form.cleaned_data)

    def get_success_message(self, plan):
        return f"{plan.pep}'s plan for {academic_year_label(plan.year)} set up"

    def get_success_url(self, plan):
        return self.tenant_url("subscriptions:pep_plan", plan_pk=plan.pk)


class CpdRecordView(_PlanMixin, ServiceFormView):
    template_name = "subscriptions/pep_form.html"
    form_class = CpdForm
    context_object_name = "plan"
    success_message = "CPD recorded"
    extra_context = {"heading": "Record CPD attended", "button": "Record the CPD"}

    def perform(self, form):
        return pep_cpd_record(actor=self.request.user, plan=self.object, **form.cleaned_data)


class SupportDayView(_PlanMixin, ServiceFormView):
    template_name = "subscriptions/pep_form.html"
    form_class = SupportDayForm
    context_object_name = "plan"
    success_message = "Leadership support recorded"
    extra_context = {"heading": "Record leadership support given", "button": "Record the support"}

    def get_form_kwargs(self):
        members = Membership.objects.filter(partnership=self.partnership).current().values("school_id")
        return super().get_form_kwargs() | {"school_choices": School.objects.filter(pk__in=members).order_by("name")}

    def perform(self, form):
        return pep_support_day_record(actor=self.request.user, plan=self.object, **form.cleaned_data)


class PanelMemberView(_PlanMixin, ServiceFormView):
    permission_required = MANAGE
    template_name = "subscriptions/pep_form.html"
    form_class = PanelMemberForm
    context_object_name = "plan"
    success_message = "Panel member added"
    extra_context = {"heading": "Add a member of the PEP's panel", "button": "Add to the panel"}

    def get_form_kwargs(self):
        people = RoleAssignment.objects.filter(partnership=self.partnership).active().values("user_id")
        return super().get_form_kwargs() | {"user_choices": User.objects.filter(pk__in=people).order_by("full_name")}

    def perform(self, form):
        return pep_panel_member_add(actor=self.request.user, plan=self.object, **form.cleaned_data)


class OutcomeAddView(_PlanMixin, ServiceFormView):
    permission_required = MANAGE
    template_name = "subscriptions/pep_form.html"
    form_class = PepOutcomeForm
    context_object_name = "plan"
    success_message = "Outcome agreed"
    extra_context = {"heading": "Agree an outcome and its milestones", "button": "Save the outcome"}

    def perform(self, form):
        return pep_outcome_add(
            actor=self.request.user, plan=self.object, text=form.cleaned_data["text"], milestones=form.milestones()
        )


class MilestoneMetView(ServiceFormView):
    permission_required = MANAGE
    template_name = "subscriptions/pep_form.html"
    form_class = MilestoneMetForm
    context_object_name = "milestone"
    success_message = "Milestone recorded as met"
    extra_context = {"heading": "Record a milestone as met", "button": "Save"}

    def lookup(self, **kwargs):
        return get_object_or_404(
            PepMilestone.objects.select_related("outcome__plan__pep"), pk=row_id(kwargs["pep_milestone_pk"])
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"plan": self.object.outcome.plan}

    def perform(self, form):
        return pep_milestone_met(actor=self.request.user, milestone=self.object, **form.cleaned_data)

    def get_success_url(self, milestone):
        return self.tenant_url("subscriptions:pep_plan", plan_pk=milestone.outcome.plan_id)


class AnnualReviewView(_PlanMixin, ServiceFormView):
    permission_required = MANAGE
    template_name = "subscriptions/pep_form.html"
    form_class = AnnualReviewForm
    context_object_name = "plan"
    success_message = "Annual review recorded"
    extra_context = {"heading": "Record the annual review meeting", "button": "Save the review"}

    def perform(self, form):
        return pep_annual_review_record(actor=self.request.user, plan=self.object, **form.cleaned_data)
