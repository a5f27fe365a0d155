"""Governance pages: the offices and their elections, and the strategy group's termly rota."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from core.forms import apply_service_errors
from core.views import TenantViewMixin
from partnerships.forms.governance import ConfirmForm, ElectionForm, FirstRotaForm, SeatForm
from partnerships.models import RotaSeat, StrategyRota
from partnerships.selectors import development as selectors_development
from partnerships.selectors import governance as selectors
from partnerships.selectors import groups as selectors_groups
from partnerships.selectors import interests as selectors_interests
from partnerships.services.offices import election_record
from partnerships.services.strategy import rota_build_next, rota_confirm, rota_create, rota_plan_next, rota_seat_update


def _to_strategy(partnership):
    return redirect("governance:strategy", partnership_slug=partnership.slug)


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


class ElectionRecordView(TenantViewMixin, View):
    permission_required = "manage_governance"
    template_name = "partnerships/governance/election_record.html"

    def _form(self, data=None):
        constitution = selectors.constitution_of(self.partnership)
        initial = {"office": self.request.GET.get("office", "")[:20]} if data is None else None
        form = ElectionForm(
            data, initial=initial, partnership=self.partnership, term_years=constitution.chair_term_years
        )
        return form, constitution

    def get(self, request, *args, **kwargs):
        form, constitution = self._form()
        return render(request, self.template_name, {"form": form, "constitution": constitution})

    def post(self, request, *args, **kwargs):
        form, constitution = self._form(request.POST)
        if form.is_valid():
            try:
                election = election_record(actor=request.user, partnership=self.partnership, **form.service_arguments())
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    f"{election.elected} elected {election.get_office_display().lower()} from "
                    f"{election.term_starts:%-d %B %Y}",
                )
                return redirect("governance:offices", partnership_slug=self.partnership.slug)
        return render(request, self.template_name, {"form": form, "constitution": constitution}, status=400)


class StrategyView(TenantViewMixin, TemplateView):
    permission_required = "view_governance"
    template_name = "partnerships/governance/strategy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["groups"] = selectors.strategy_this_and_next(self.partnership)
        context["rotas"] = selectors.rotas_exist(self.partnership)
        context["constitution"] = selectors.constitution_of(self.partnership)
        return context


class RotaCreateView(TenantViewMixin, View):
    permission_required = "manage_governance"
    template_name = "partnerships/governance/rota_create.html"

    def _context(self, data=None):
        constitution = selectors.constitution_of(self.partnership)
        term = selectors.term_on_or_after(self.partnership, timezone.localdate())
        return {
            "form": FirstRotaForm(data, seats=constitution.strategy_head_reps),
            "term_label": selectors.term_label(term),
            "term": term,
            "rotas": selectors.rotas_exist(self.partnership),
            "constitution": constitution,
        }

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self._context())

    def post(self, request, *args, **kwargs):
        context = self._context(request.POST)
        form = context["form"]
        if form.is_valid():
            try:
                rota = rota_create(actor=request.user, partnership=self.partnership, seats=form.seats())
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"The rota for the {selectors.term_label(rota.term)} is ready to confirm")
                return _to_strategy(self.partnership)
        return render(request, self.template_name, context, status=400)


class RotaBuildView(TenantViewMixin, View):
    """GET shows what building next term's rota would do; POST builds it as a draft."""

    permission_required = "manage_governance"
    template_name = "partnerships/governance/rota_build.html"

    def _render(self, request, form, status=200):
        try:
            plan = rota_plan_next(partnership=self.partnership)
        except ValidationError as error:
            plan, problem = None, " ".join(error.messages)
        else:
            problem = None
        return render(request, self.template_name, {"form": form, "plan": plan, "problem": problem}, status=status)

    def get(self, request, *args, **kwargs):
        return self._render(request, ConfirmForm())

    def post(self, request, *args, **kwargs):
        form = ConfirmForm(request.POST)
        try:
            rota = rota_build_next(actor=request.user, partnership=self.partnership)
        except ValidationError as error:
            form.is_valid()
            apply_service_errors(form, error)
            return self._render(request, form, status=400)
        messages.success(
            request, f"The draft rota for the {selectors.term_label(rota.term)} is built: check it, then confirm it"
        )
        return _to_strategy(self.partnership)


class SeatEditView(TenantViewMixin, View):
    permission_required = "manage_governance"
    template_name = "partnerships/governance/seat_edit.html"

    def _seat(self, rota_seat_pk):
        return get_object_or_404(
            RotaSeat.objects.select_related("rota__term", "representative", "reserve", "substitute"), pk=rota_seat_pk
        )

    def _render(self, request, seat, form, status=200):
        context = {"form": form, "seat": seat, "term_label": selectors.term_label(seat.rota.term)}
        context["ended"] = seat.rota.term.ends < timezone.localdate()
        return render(request, self.template_name, context, status=status)

    def get(self, request, *args, rota_seat_pk, **kwargs):
        seat = self._seat(rota_seat_pk)
        form = SeatForm(
            partnership=self.partnership,
            initial={
                "representative": seat.representative_id,
                "reserve": seat.reserve_id,
                "substitute": seat.substitute_id,
            },
        )
        return self._render(request, seat, form)

    def post(self, request, *args, rota_seat_pk, **kwargs):
        seat = self._seat(rota_seat_pk)
        form = SeatForm(request.POST, partnership=self.partnership)
        if form.is_valid():
            try:
                rota_seat_update(actor=request.user, seat=seat, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request, f"Seat {seat.seat} of the {selectors.term_label(seat.rota.term)} rota changed"
                )
                return _to_strategy(self.partnership)
        return self._render(request, seat, form, status=400)


class RotaConfirmView(TenantViewMixin, View):
    permission_required = "manage_governance"
    template_name = "partnerships/governance/rota_confirm.html"

    def _render(self, request, rota, form, status=200):
        group = selectors.strategy_groups(self.partnership, [rota.term])[0]
        return render(request, self.template_name, {"form": form, "rota": group.rota, "group": group}, status=status)

    def get(self, request, *args, rota_pk, **kwargs):
        rota = get_object_or_404(StrategyRota.objects.select_related("term"), pk=rota_pk)
        return self._render(request, rota, ConfirmForm())

    def post(self, request, *args, rota_pk, **kwargs):
        rota = get_object_or_404(StrategyRota.objects.select_related("term"), pk=rota_pk)
        form = ConfirmForm(request.POST)
        try:
            rota_confirm(actor=request.user, rota=rota)
        except ValidationError as error:
            form.is_valid()
            apply_service_errors(form, error)
            return self._render(request, rota, form, status=400)
        messages.success(request, f"The rota for the {selectors.term_label(rota.term)} is confirmed")
        return _to_strategy(self.partnership)
