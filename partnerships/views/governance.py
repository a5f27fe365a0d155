"""Governance pages: the offices and their elections, and the strategy group's termly rota."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from core.views import ServiceFormView, TableExportView, TenantViewMixin
from partnerships.forms.governance import ConfirmForm, ElectionForm, FirstRotaForm, RotaConfirmForm, SeatForm
from partnerships.models import Election, RotaSeat, StrategyRota
from partnerships.selectors import development as selectors_development
from partnerships.selectors import governance as selectors
from partnerships.selectors import groups as selectors_groups
from partnerships.selectors import interests as selectors_interests
from partnerships.services.offices import election_record
from partnerships.services.strategy import rota_build_next, rota_confirm, rota_create, rota_plan_next, rota_seat_update


class GovernanceView(TenantViewMixin, TemplateView):
    permission_required = "view_governance"
    template_name = "partnerships/governance/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["offices"] = selectors.offices_current(self.partnership)
        context["groups"] = selectors.strategy_this_and_next(self.partnership)
        context["rotas"] = selectors.rotas_exist(self.partnership)
        context["constitution"] = selectors.constitution_of(self.partnership)
        # The other parts of governance, summarised; each links to its own pages.
        context["group_sets"] = selectors_groups.groups_overview()
        context["participation"] = selectors_development.participation_for_year(
            self.partnership, selectors_development.current_academic_year()
        )
        if self.request.tenant.has("view_interests"):
            context["interests_due"] = len(selectors_interests.reminders_due(self.partnership))
        return context


class OfficesView(TenantViewMixin, TemplateView):
    permission_required = "view_governance"
    template_name = "partnerships/governance/offices.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["offices"] = selectors.offices_current(self.partnership)
        context["elections"] = list(selectors.elections_history(self.partnership))
        context["constitution"] = selectors.constitution_of(self.partnership)
        return context


class ElectionsExportView(TableExportView):
    """Every election the offices page lists, as CSV or XLSX."""

    permission_required = "view_governance"

    def export_table(self, **kwargs):
        return selectors.elections_table(selectors.elections_history(self.partnership))

    def export_filename(self):
        return f"{self.partnership.slug}-elections"


class ElectionRecordView(ServiceFormView):
    permission_required = "manage_governance"
    template_name = "partnerships/governance/election_record.html"
    form_class = ElectionForm

    @cached_property
    def constitution(self):
        return selectors.constitution_of(self.partnership)

    @cached_property
    def office(self) -> str | None:
        """The office the election is for: chosen first, as who may stand depends on it."""
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        office = source.get("office", "")
        return office if office in Election.Office.values else None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        return kwargs | {
            "partnership": self.partnership,
            "office": self.office,
            "constitution": self.constitution,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            constitution=self.constitution,
            choosing_office=self.request.method != "POST" and self.office is None,
            office_label=Election.Office(self.office).label if self.office else "",
            **kwargs,
        )

    def perform(self, form):
        return election_record(actor=self.request.user, partnership=self.partnership, **form.service_arguments())

    def add_service_errors(self, form, error):
        form.add_service_errors(error)  # the form knows how the service numbers its candidates

    def get_success_message(self, election):
        return (
            f"{election.elected} elected {election.get_office_display().lower()} from {election.term_starts:%-d %B %Y}"
        )

    def get_success_url(self, election):
        return self.tenant_url("governance:offices")


class StrategyView(TenantViewMixin, TemplateView):
    permission_required = "view_governance"
    template_name = "partnerships/governance/strategy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["groups"] = selectors.strategy_this_and_next(self.partnership)
        context["rotas"] = selectors.rotas_exist(self.partnership)
        context["constitution"] = selectors.constitution_of(self.partnership)
        return context


class RotaCreateView(ServiceFormView):
    permission_required = "manage_governance"
    template_name = "partnerships/governance/rota_create.html"
    form_class = FirstRotaForm

    @cached_property
    def constitution(self):
        return selectors.constitution_of(self.partnership)

    @cached_property
    def term(self):
        return selectors.term_on_or_after(self.partnership, timezone.localdate())

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {
            "seats": self.constitution.strategy_head_reps or 0,
            "partnership": self.partnership,
            "term": self.term,
        }

    def get_context_data(self, **kwargs):
        term = self.term
        return super().get_context_data(
            term_label=selectors.term_label(term),
            term=term,
            rotas=selectors.rotas_exist(self.partnership),
            constitution=self.constitution,
            **kwargs,
        )

    def perform(self, form):
        return rota_create(actor=self.request.user, partnership=self.partnership, seats=form.seats())

    def get_success_message(self, rota):
        return f"The rota for the {selectors.term_label(rota.term)} is ready to confirm"

    def get_success_url(self, rota):
        return self.tenant_url("governance:strategy")


class RotaBuildView(ServiceFormView):
    """GET shows what building next term's rota would do; POST builds it as a draft."""

    permission_required = "manage_governance"
    template_name = "partnerships/governance/rota_build.html"
    form_class = ConfirmForm

    def get_context_data(self, **kwargs):
        try:
            plan = rota_plan_next(partnership=self.partnership)
        except ValidationError as error:
            plan, problem = None, " ".join(error.messages)
        else:
            problem = None
        return super().get_context_data(plan=plan, problem=problem, **kwargs)

    def perform(self, form):
        return rota_build_next(actor=self.request.user, partnership=self.partnership)

    def get_success_message(self, rota):
        return f"The draft rota for the {selectors.term_label(rota.term)} is built: check it, then confirm it"

    def get_success_url(self, rota):
        return self.tenant_url("governance:strategy")


class SeatEditView(ServiceFormView):
    permission_required = "manage_governance"
    template_name = "partnerships/governance/seat_edit.html"
    form_class = SeatForm
    context_object_name = "seat"

    def lookup(self, rota_seat_pk, **kwargs):
        return get_object_or_404(
            RotaSeat.objects.select_related("rota__term", "representative", "reserve", "substitute"), pk=rota_seat_pk
        )

    def get_initial(self):
        seat = self.object
        return {"representative": seat.representative_id, "reserve": seat.reserve_id, "substitute": seat.substitute_id}

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"partnership": self.partnership, "seat": self.object}

    def get_context_data(self, **kwargs):
        term = self.object.rota.term
        return super().get_context_data(
            term_label=selectors.term_label(term), ended=term.ends < timezone.localdate(), **kwargs
        )

    def perform(self, form):
        rota_seat_update(actor=self.request.user, seat=self.object, **form.cleaned_data)

    def get_success_message(self, result):
        return f"Seat {self.object.seat} of the {selectors.term_label(self.object.rota.term)} rota changed"

    def get_success_url(self, result):
        return self.tenant_url("governance:strategy")


class RotaConfirmView(ServiceFormView):
    permission_required = "manage_governance"
    template_name = "partnerships/governance/rota_confirm.html"
    form_class = RotaConfirmForm

    def lookup(self, rota_pk, **kwargs):
        return get_object_or_404(StrategyRota.objects.select_related("term"), pk=rota_pk)

    @cached_property
    def group(self):
        return selectors.strategy_groups(self.partnership, [self.object.term])[0]

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"missing_phases": self.group.missing_phases}

    def get_context_data(self, **kwargs):
        roles_from = max(self.object.term.starts, timezone.localdate())
        return super().get_context_data(rota=self.group.rota, group=self.group, roles_from=roles_from, **kwargs)

    def perform(self, form):
        rota_confirm(actor=self.request.user, rota=self.object, phase_reason=form.cleaned_data.get("phase_reason", ""))

    def get_success_message(self, result):
        return f"The rota for the {selectors.term_label(self.object.term)} is confirmed"

    def get_success_url(self, result):
        return self.tenant_url("governance:strategy")
