"""Your API tokens in this partnership: make one (its secret shown once), see them, revoke one. Each
person sees only their own tokens."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from core.forms import Form
from core.views import ServiceFormView, row_id
from reports.forms import ApiTokenForm
from reports.models import ApiToken
from reports.services.tokens import api_token_create, api_token_revoke


class ApiTokensView(ServiceFormView):
    template_name = "reports/api_tokens.html"
    form_class = ApiTokenForm

    def get_context_data(self, **kwargs):
        tokens = ApiToken.objects.filter(partnership=self.partnership, user=self.request.user)
        base = self.request.build_absolute_uri(reverse("api:api-root"))
        return super().get_context_data(**kwargs) | {
            "tokens": list(tokens),
            "api_base": f"{base}p/{self.partnership.slug}/",
            "schema_url": self.request.build_absolute_uri(reverse("api:openapi-json")),
        }

    def perform(self, form):
        return api_token_create(actor=self.request.user, partnership=self.partnership, name=form.cleaned_data["name"])

    def success_response(self, result):
        """The secret is shown on this one answer and never again: it is not kept."""
        token, secret = result
        context = self.get_context_data(form=self.get_form_class()(), made=token, secret=secret)
        response = self.render_to_response(context)
        response["Cache-Control"] = "no-store"
        return response


class ApiTokenRevokeView(ServiceFormView):
    template_name = "reports/api_token_revoke.html"
    form_class = Form  # nothing to fill in: the button confirms
    context_object_name = "token"

    def lookup(self, **kwargs):
        return get_object_or_404(
            ApiToken.objects.filter(user=self.request.user, revoked_at__isnull=True), pk=row_id(kwargs["api_token_pk"])
        )

    def perform(self, form):
        return api_token_revoke(actor=self.request.user, token=self.object)

    def get_success_message(self, token):
        return f"API token {token.name} revoked: it no longer answers"

    def get_success_url(self, token):
        return self.tenant_url("reports:api_tokens")
