from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from core.views import ServiceFormView, TableExportView, TenantViewMixin
from partnerships.calendar import academic_year_label, academic_year_of
from partnerships.forms.constitution import TermDatesForm, section_form_class
from partnerships.models.constitution import SECTIONS
from partnerships.selectors import constitution as selectors
from partnerships.selectors.constitution import constitution_of
from partnerships.selectors.terms import term_dates_table, term_dates_years, terms_of_year
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
            sections=selectors.constitution_sections(
                constitution,
                members=selectors.member_school_count(),
                banker=selectors.banker_departure(self.partnership) if constitution.banker_school_id else None,
            ),
            year_label=academic_year_label(year),
            terms=terms_of_year(self.partnership, year),
        )
        return context


class ConstitutionChangeView(ServiceFormView):
    """One section of the constitution on its own form page."""

    permission_required = "change_constitution"
    template_name = "partnerships/constitution/change.html"
    section = ""

    def get_form_class(self):
        return section_form_class(self.section)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"constitution": constitution_of(self.partnership)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=SECTIONS[self.section][0], section=self.section, **kwargs)

    def perform(self, form):
        constitution_update(
            actor=self.request.user, partnership=self.partnership, changes=form.cleaned_data, section=self.section
        )

    def get_success_message(self, result):
        return f"{SECTIONS[self.section][0]}: the constitution is saved"

    def get_success_url(self, result):
        return self.tenant_url("constitution:detail", anchor=self.section)


class TermsView(TenantViewMixin, TemplateView):
    """The term dates of the current and the next academic year."""

    template_name = "partnerships/constitution/terms.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["years"] = term_dates_years(self.partnership, academic_year_of(timezone.localdate()))
        context["today"] = timezone.localdate()
        return context


class TermsExportView(TableExportView):
    """The term dates of the current and the next academic year, as CSV or XLSX, to all who read them."""

    def export_table(self, **kwargs):
        return term_dates_table(term_dates_years(self.partnership, academic_year_of(timezone.localdate())))

    def export_filename(self):
        return f"{self.partnership.slug}-term-dates"


def _year(request) -> int:
    """The academic year to edit, from ?year=: last year, this year or the next two; anything else is 404."""
    current = academic_year_of(timezone.localdate())
    raw = request.GET.get("year", str(current))
    if not raw.isdigit() or len(raw) != 4 or not current - 1 <= int(raw) <= current + 2:
        raise Http404("No such academic year")
    return int(raw)


class TermsChangeView(ServiceFormView):
    permission_required = "change_constitution"
    template_name = "partnerships/constitution/terms_change.html"
    form_class = TermDatesForm

    @cached_property
    def year(self) -> int:
        return _year(self.request)

    def get_form_kwargs(self):
        terms = [] if self.request.method == "POST" else terms_of_year(self.partnership, self.year)
        return super().get_form_kwargs() | {"terms": terms}

    def get_context_data(self, **kwargs):
        return super().get_context_data(year=self.year, year_label=academic_year_label(self.year), **kwargs)

    def perform(self, form):
        terms_update(
            actor=self.request.user, partnership=self.partnership, academic_year=self.year, dates=form.cleaned_data
        )

    def get_success_message(self, result):
        return f"Term dates for {academic_year_label(self.year)} saved"

    def get_success_url(self, result):
        return self.tenant_url("constitution:terms")
