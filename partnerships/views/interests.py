from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from core.views import ServiceFormView, TableExportView, TenantViewMixin
from partnerships.forms.interests import DeclarationForm
from partnerships.selectors.interests import (
    MISSING,
    OUT_OF_DATE,
    declaration_state,
    declarations_of,
    register,
    register_table,
    reminded_on,
    reminders_due,
)
from partnerships.services.interests import interest_declaration_create, interest_reminders_request


class MyDeclarationsView(TenantViewMixin, TemplateView):
    permission_required = "declare_interests"
    template_name = "partnerships/interests/mine.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        declarations = declarations_of(self.partnership, self.request.user)
        context["declarations"] = declarations
        context["state"] = declaration_state(declarations[0] if declarations else None)
        return context


class DeclareView(ServiceFormView):
    permission_required = "declare_interests"
    template_name = "partnerships/interests/declare.html"
    form_class = DeclarationForm
    success_message = "Your declaration of interests is recorded"

    @cached_property
    def previous(self):
        return declarations_of(self.partnership, self.request.user)[:1]

    def get_initial(self):
        return DeclarationForm.initial_from(self.previous[0] if self.previous else None)

    def get_context_data(self, **kwargs):
        # After a failed submission the page shows what was typed, not the last declaration.
        previous = [] if self.request.method == "POST" else self.previous
        return super().get_context_data(previous=previous, **kwargs)

    def perform(self, form):
        interest_declaration_create(actor=self.request.user, partnership=self.partnership, **form.declaration())

    def get_success_url(self, result):
        return self.tenant_url("interests:mine")


class _RegisterMixin(TenantViewMixin):
    """The register's rows: everyone with a declaring role, or (`?show=due`) those missing or out of date."""

    permission_required = "view_interests"

    def showing_due(self) -> bool:
        return self.request.GET.get("show") == "due"

    def shown(self, rows):
        return [row for row in rows if row.is_due] if self.showing_due() else rows


class RegisterView(_RegisterMixin, TemplateView):
    template_name = "partnerships/interests/register.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = register(self.partnership)
        showing_due = self.showing_due()
        context.update(
            rows=self.shown(rows),
            showing_due=showing_due,
            total=len(rows),
            missing=sum(row.state == MISSING for row in rows),
            out_of_date=sum(row.state == OUT_OF_DATE for row in rows),
        )
        return context


class RegisterExportView(_RegisterMixin, TableExportView):
    """The register as the page shows it (everyone, or those due), as CSV or XLSX."""

    def export_table(self, **kwargs):
        title = "Declarations missing or out of date" if self.showing_due() else "Register of interests"
        return register_table(self.shown(register(self.partnership)), title=title)

    def export_filename(self):
        return f"{self.partnership.slug}-register-of-interests"


class RemindView(TenantViewMixin, View):
    permission_required = "manage_governance"
    template_name = "partnerships/interests/remind.html"

    def get(self, request, *args, **kwargs):
        rows = reminders_due(self.partnership)
        done = reminded_on(self.partnership, timezone.localdate())
        for row in rows:
            row.reminded_today = row.user.pk in done
        return render(
            request,
            self.template_name,
            {"rows": rows, "to_send": sum(not row.reminded_today for row in rows)},
        )

    def post(self, request, *args, **kwargs):
        due = interest_reminders_request(actor=request.user, partnership=self.partnership)
        if due:
            messages.success(
                request,
                f"Reminders are on their way to {due} {'person' if due == 1 else 'people'} "
                "(anyone already reminded today is not emailed again)",
            )
        else:
            messages.success(request, "Everyone's declaration is up to date: no reminders needed")
        return redirect("interests:register", partnership_slug=self.partnership.slug)
