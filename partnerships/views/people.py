from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views import View
from django.views.generic import TemplateView

from accounts.models import AuditEvent, Invitation
from core.dates import date_label
from core.exports import csv_bytes, download_response, xlsx_bytes
from core.freshness import kept_part
from core.pagination import paginate
from core.views import ServiceFormView, TableExportView, TenantViewMixin
from partnerships.filters import AuditFilter
from partnerships.forms.people import InviteForm, PartnershipSettingsForm, RoleEndForm
from partnerships.models import RoleAssignment
from partnerships.models.constitution import InformationCategory
from partnerships.selectors import people as selectors
from partnerships.selectors.agreements import agreement_on
from partnerships.selectors.audit import audit_table
from partnerships.selectors.permissions import school_privacy
from partnerships.services import partnership_update_settings, role_end
from partnerships.services.invitations import invitation_create, invitation_withdraw


class HomeView(LoginRequiredMixin, TemplateView):
    """After sign-in: straight to the only partnership, or a choice between several."""

    template_name = "partnerships/choose.html"

    def get(self, request, *args, **kwargs):
        partnerships = selectors.partnerships_for_user(request.user)
        if len(partnerships) == 1:
            return redirect("partnerships:dashboard", partnership_slug=partnerships[0].slug)
        return self.render_to_response({"partnerships": partnerships})


class DashboardView(TenantViewMixin, TemplateView):
    """What needs the signed-in person now, and the partnership at a glance, for their own roles.

    Its panels are rendered once and kept until the partnership's data, the day or the clock's slot
    changes (core.freshness.kept_part), since people look far more often than anything on it changes.
    The reader and their roles in force, worked out afresh on every request, name the kept copy.
    """

    template_name = "partnerships/dashboard.html"
    panels_template = "partnerships/dashboard_panels.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        # The reader and exactly what their roles are today, so a role changed in place is a new key
        # even if the change could not be recorded in the cache; the path, never the query string,
        # which the dashboard does not read (so a query cannot make kept copies without end).
        roles = sorted((r.pk, r.role, r.school_id, str(r.start), str(r.end)) for r in request.tenant.roles)
        context["dashboard"] = kept_part(
            partnership_id=self.partnership.pk,
            parts=("dashboard", request.user.pk, request.path, roles, sorted(request.tenant.perms)),
            render=lambda: render_to_string(self.panels_template, self.panels_context(context), request=request),
        )
        return context

    def panels_context(self, context: dict) -> dict:
        # Read after the data version (kept_part): the partnership loaded with the request could
        # predate a change committed since, which must not be kept under that change's version.
        self.partnership.refresh_from_db()
        context = dict(context)
        context["agreement"] = agreement_on(self.partnership)
        context["your_roles"] = selectors.roles_held(self.partnership, self.request.user)
        if self.request.tenant.has("view_members"):
            context["leaving"] = list(selectors.members_leaving())
            context["counts"] = selectors.member_counts()
        return context


class _PeopleMixin(TenantViewMixin):
    """The roles the people page lists: current or ended (`?show=history`), matching the search `q`."""

    permission_required = "view_people"

    def showing_history(self) -> bool:
        return self.request.GET.get("show") == "history"

    def search(self) -> str:
        return self.request.GET.get("q", "")[:100].strip()

    def roles(self):
        roles = selectors.roles_history() if self.showing_history() else selectors.roles_current()
        # A school's deputies and governors are its own people: shown only to those who may see them.
        shared_with_me = school_privacy(self.request.tenant).school_ids(InformationCategory.STAFF_CONTACTS)
        return selectors.roles_matching(selectors.roles_shared(roles, shared_with_me), self.search())


class PeopleView(_PeopleMixin, TemplateView):
    template_name = "partnerships/people.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_obj"] = paginate(self.request, self.roles())
        context["showing_history"] = self.showing_history()
        context["search"] = self.search()
        if self.request.tenant.has("manage_people"):
            context["invitations"] = list(selectors.invitations_pending())
        return context


class PeopleExportView(_PeopleMixin, TableExportView):
    """The people page's roles, as its tabs and search choose them, as CSV or XLSX."""

    def export_table(self, **kwargs):
        return selectors.roles_table(self.roles(), title="Ended roles" if self.showing_history() else "Current roles")

    def export_filename(self):
        return f"{self.partnership.slug}-{'ended-roles' if self.showing_history() else 'people'}"


class InviteView(ServiceFormView):
    permission_required = "manage_people"
    template_name = "partnerships/invite.html"
    form_class = InviteForm

    def get_initial(self):
        # Links from a school's people list prefill the form (?full_name=&email=&role=&school=).
        keys = ("full_name", "email", "role", "school")
        return {key: self.request.GET[key][:200] for key in keys if key in self.request.GET}

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"partnership": self.partnership}

    def perform(self, form):
        return invitation_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)

    def get_success_message(self, invitation):
        return f"Invitation sent to {invitation.email}"

    def get_success_url(self, invitation):
        return self.tenant_url("partnerships:people")


class RoleEndView(ServiceFormView):
    permission_required = "manage_people"
    template_name = "partnerships/role_end.html"
    form_class = RoleEndForm
    context_object_name = "assignment"

    def lookup(self, role_pk, **kwargs):
        return get_object_or_404(RoleAssignment.objects.select_related("user", "school"), pk=role_pk)

    def perform(self, form):
        role_end(actor=self.request.user, assignment=self.object, end=form.cleaned_data["end"])

    def get_success_message(self, result):
        assignment = self.object
        return f"{assignment.user}'s last day as {assignment} is {date_label(self.form.cleaned_data['end'])}"

    def get_success_url(self, result):
        return self.tenant_url("partnerships:people")


class InvitationWithdrawView(TenantViewMixin, View):
    permission_required = "manage_people"
    template_name = "partnerships/invitation_withdraw.html"

    def get(self, request, *args, invitation_pk, **kwargs):
        invitation = get_object_or_404(Invitation.objects.select_related("school"), pk=invitation_pk)
        return render(request, self.template_name, {"invitation": invitation})

    def post(self, request, *args, invitation_pk, **kwargs):
        invitation = get_object_or_404(Invitation, pk=invitation_pk)
        try:
            invitation_withdraw(actor=request.user, invitation=invitation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"The invitation of {invitation.email} was withdrawn")
        return redirect("partnerships:people", partnership_slug=self.partnership.slug)


class SettingsView(ServiceFormView):
    permission_required = "change_partnership"
    template_name = "partnerships/settings.html"
    form_class = PartnershipSettingsForm
    success_message = "Settings saved"

    def get_initial(self):
        return {"require_mfa_for_coordinators": self.partnership.require_mfa_for_coordinators}

    def perform(self, form):
        partnership_update_settings(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)

    def get_success_url(self, result):
        return self.tenant_url("partnerships:settings")


class _AuditTrailMixin(TenantViewMixin):
    """The partnership's audit trail as the filters in the query string select it, newest first."""

    permission_required = "view_audit"

    def audit_filter(self) -> AuditFilter:
        data = self.request.GET if self.request.GET else None
        return AuditFilter(data, queryset=AuditEvent.objects.select_related("actor"), partnership=self.partnership)


class ActivityView(_AuditTrailMixin, TemplateView):
    template_name = "partnerships/activity.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = self.audit_filter()
        context["form"] = filters.form
        context["page_obj"] = paginate(self.request, filters.qs)
        context["about_label"] = filters.about_label
        return context


class ActivityExportView(_AuditTrailMixin, View):
    """The filtered trail as CSV or XLSX: the same rows as the page, every page of them."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, fmt, **kwargs):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        filters = self.audit_filter()
        if filters.is_bound and not filters.form.is_valid():
            return redirect(self.tenant_url("partnerships:activity") + "?" + request.GET.urlencode())
        table = audit_table(filters.qs)
        content = csv_bytes(table) if fmt == "csv" else xlsx_bytes(table, title=table.title)
        return download_response(content, filename=f"{self.partnership.slug}-audit-trail", kind=fmt)
