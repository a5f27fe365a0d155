from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from core.forms import apply_service_errors
from core.views import TenantViewMixin
from partnerships.calendar import TERM_LABELS, academic_year_label, academic_year_of
from partnerships.forms.constitution import TermDatesForm, section_form_class
from partnerships.models.constitution import SECTIONS
from partnerships.selectors import constitution as selectors
from partnerships.selectors.constitution import constitution_of
from partnerships.selectors.terms import terms_for_years, terms_of_year
from partnerships.services.constitution import constitution_update
from partnerships.services.terms import terms_update


class ConstitutionView(TenantViewMixin, TemplateView):
    """The partnership's rules, readable by everyone with a role; the coordinator changes them."""

    template_name = "partnerships/constitution/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        constitution = constitution_of(self.partnership)
        year = academic_year_of(timezone.localdate())
        context.update(
            constitution=constitution,
            sections=selectors.constitution_sections(constitution, members=selectors.member_school_count()),
            year_label=academic_year_label(year),
            terms=terms_of_year(self.partnership, year),
        )
        return context


class ConstitutionChangeView(TenantViewMixin, View):
    """One section of the constitution on its own form page."""

    permission_required = "change_constitution"
    template_name = "partnerships/constitution/change.html"
    section = ""

    def render_form(self, request, form, status=200):
        title = SECTIONS[self.section][0]
        return render(
            request, self.template_name, {"form": form, "title": title, "section": self.section}, status=status
        )

    def get(self, request, *args, **kwargs):
        form = section_form_class(self.section)(constitution=constitution_of(self.partnership))
        return self.render_form(request, form)

    def post(self, request, *args, **kwargs):
        form = section_form_class(self.section)(request.POST, constitution=constitution_of(self.partnership))
        if form.is_valid():
            try:
                constitution_update(
                    actor=request.user, partnership=self.partnership, changes=form.cleaned_data, section=self.section
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"{SECTIONS[self.section][0]}: the constitution is saved")
                url = reverse("constitution:detail", kwargs={"partnership_slug": self.partnership.slug})
                return redirect(f"{url}#{self.section}")
        return self.render_form(request, form, status=400)


class TermsView(TenantViewMixin, TemplateView):
    """The term dates of the current and the next academic year."""

    template_name = "partnerships/constitution/terms.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = academic_year_of(timezone.localdate())
        terms = terms_for_years(self.partnership, year, year + 1)
        context["years"] = [
            {
                "year": y,
                "label": academic_year_label(y),
                "terms": [(TERM_LABELS[t.name], t) for t in terms if t.academic_year == y],
            }
            for y in (year, year + 1)
        ]
        context["today"] = timezone.localdate()
        return context


def _year(request) -> int:
    """The academic year to edit, from ?year=: last year, this year or the next two; anything else is 404."""
    current = academic_year_of(timezone.localdate())
    raw = request.GET.get("year", str(current))
    if not raw.isdigit() or len(raw) != 4 or not current - 1 <= int(raw) <= current + 2:
        raise Http404("No such academic year")
    return int(raw)


class TermsChangeView(TenantViewMixin, View):
    permission_required = "change_constitution"
    template_name = "partnerships/constitution/terms_change.html"

    def render_form(self, request, form, year, status=200):
        return render(
            request,
            self.template_name,
            {"form": form, "year": year, "year_label": academic_year_label(year)},
            status=status,
        )

    def get(self, request, *args, **kwargs):
        year = _year(request)
        return self.render_form(request, TermDatesForm(terms=terms_of_year(self.partnership, year)), year)

    def post(self, request, *args, **kwargs):
        year = _year(request)
        form = TermDatesForm(request.POST, terms=[])
        if form.is_valid():
            try:
                terms_update(
                    actor=request.user, partnership=self.partnership, academic_year=year, dates=form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"Term dates for {academic_year_label(year)} saved")
                return redirect("constitution:terms", partnership_slug=self.partnership.slug)
        return self.render_form(request, form, year, status=400)
