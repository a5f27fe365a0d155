from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from accounts.forms import AcceptInvitationForm
from partnerships.roles import Role
from partnerships.services.invitations import invitation_accept, invitation_from_token


class InvitationAcceptView(View):
    """The page an invitation link opens. The signed token is the only key; a bad one is a 404."""

    template_name = "accounts/invitation_accept.html"

    def _context(self, invitation, **extra):
        return {"invitation": invitation, "role_label": Role(invitation.role).label, **extra}

    def _load(self, token):
        invitation = invitation_from_token(token)
        if invitation is None:
            raise Http404("No such invitation")
        return invitation

    def get(self, request, token):
        invitation = self._load(token)
        if invitation.status != "pending":
            return render(request, "accounts/invitation_unusable.html", self._context(invitation), status=410)
        form = None
        if not request.user.is_authenticated:
            form = AcceptInvitationForm(email=invitation.email, initial={"full_name": invitation.full_name})
        return render(request, self.template_name, self._context(invitation, form=form))

    def post(self, request, token):
        invitation = self._load(token)
        if invitation.status != "pending":
            return render(request, "accounts/invitation_unusable.html", self._context(invitation), status=410)
        form = None
        try:
            if request.user.is_authenticated:
                user = invitation_accept(actor=request.user, invitation=invitation)
            else:
                form = AcceptInvitationForm(request.POST, email=invitation.email)
                if not form.is_valid():
                    return render(request, self.template_name, self._context(invitation, form=form), status=400)
                user = invitation_accept(
                    actor=None,
                    invitation=invitation,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        except ValidationError as error:
            if form is None:
                form = AcceptInvitationForm(email=invitation.email)
                form.is_bound = False
            messages.error(request, " ".join(error.messages))
            return render(request, self.template_name, self._context(invitation, form=form), status=400)
        messages.success(request, f"Welcome to {invitation.partnership.name}")
        return redirect("partnerships:dashboard", partnership_slug=invitation.partnership.slug)
