from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from accounts.models import AuditEvent, Invitation
from core.forms import apply_service_errors
from core.pagination import paginate
from core.views import TenantViewMixin
from partnerships.forms.people import InviteForm, PartnershipSettingsForm, RoleEndForm
from partnerships.models import RoleAssignment
from partnerships.selectors import people as selectors
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
    template_name = "partnerships/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.tenant.has("view_members"):
            context["members"] = list(selectors.members_current())
            context["counts"] = selectors.member_counts()
        return context


class PeopleView(TenantViewMixin, TemplateView):
    permission_required = "view_people"
    template_name = "partnerships/people.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        showing_history = self.request.GET.get("show") == "history"
        roles = selectors.roles_history() if showing_history else selectors.roles_current()
        context["page_obj"] = paginate(self.request, roles)
        context["showing_history"] = showing_history
        if self.request.tenant.has("manage_people"):
            context["invitations"] = list(selectors.invitations_pending())
        return context


class InviteView(TenantViewMixin, View):
    permission_required = "manage_people"
    template_name = "partnerships/invite.html"

    def get(self, request, *args, **kwargs):
        # Links from a school's people list prefill the form (?full_name=&email=&role=&school=).
        initial = {
            key: request.GET[key][:200] for key in ("full_name", "email", "role", "school") if key in request.GET
        }
        return render(request, self.template_name, {"form": InviteForm(partnership=self.partnership, initial=initial)})

    def post(self, request, *args, **kwargs):
        form = InviteForm(request.POST, partnership=self.partnership)
        if form.is_valid():
            try:
                invitation = invitation_create(actor=request.user, partnership=self.partnership, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"Invitation sent to {invitation.email}")
                return redirect("partnerships:people", partnership_slug=self.partnership.slug)
        return render(request, self.template_name, {"form": form}, status=400)


class RoleEndView(TenantViewMixin, View):
    permission_required = "manage_people"
    template_name = "partnerships/role_end.html"

    def get_assignment(self, role_pk):
        return get_object_or_404(RoleAssignment.objects.select_related("user", "school"), pk=role_pk)

    def get(self, request, *args, role_pk, **kwargs):
        assignment = self.get_assignment(role_pk)
        return render(request, self.template_name, {"form": RoleEndForm(), "assignment": assignment})

    def post(self, request, *args, role_pk, **kwargs):
        assignment = self.get_assignment(role_pk)
        form = RoleEndForm(request.POST)
        if form.is_valid():
            try:
                role_end(actor=request.user, assignment=assignment, end=form.cleaned_data["end"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"{assignment.user}'s last day as {assignment} is {form.cleaned_data['end']:%-d %B %Y}",
                )
                return redirect("partnerships:people", partnership_slug=self.partnership.slug)
        return render(request, self.template_name, {"form": form, "assignment": assignment}, status=400)


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


class SettingsView(TenantViewMixin, View):
    permission_required = "change_partnership"
    template_name = "partnerships/settings.html"

    def get(self, request, *args, **kwargs):
        form = PartnershipSettingsForm(
            initial={"require_mfa_for_coordinators": self.partnership.require_mfa_for_coordinators}
        )
        return render(request, self.template_name, {"form": form})

    def post(self, request, *args, **kwargs):
        form = PartnershipSettingsForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        partnership_update_settings(actor=request.user, partnership=self.partnership, **form.cleaned_data)
        messages.success(request, "Settings saved")
        return redirect(reverse("partnerships:settings", kwargs={"partnership_slug": self.partnership.slug}))


class ActivityView(TenantViewMixin, TemplateView):
    permission_required = "view_audit"
    template_name = "partnerships/activity.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_obj"] = paginate(self.request, AuditEvent.objects.select_related("actor"))
        return context
