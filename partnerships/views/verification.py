"""Checking a signed copy of the agreement.

Under a partnership, anyone with a role there uploads a PDF and learns whether it is a genuine sealed
copy, and of what (partnerships.selectors.verification). It writes nothing, so it is a FormView whose
valid form renders the answer, not a service form page.

The public pages, outside any partnership and without signing in, look a copy up by the identifier
printed in its footer and show only what partnerships.selectors.verification.PublicRecord holds.
"""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import FormView

from core.views import TenantViewMixin
from partnerships.forms.verification import (
    IDENTIFIER_EXAMPLE,
    NO_SUCH_IDENTIFIER,
    IdentifierForm,
    VerifyUploadForm,
    canonical_identifier,
)
from partnerships.selectors.verification import named_signatures, public_record, verification_of


class VerifyView(TenantViewMixin, FormView):
    """Upload a PDF: is it a genuine sealed copy? Signers' names only for a copy of this partnership
    that is shared with the reader (partnerships.selectors.signing.may_see_copy)."""

    template_name = "partnerships/agreement/verify.html"
    result_template_name = "partnerships/agreement/verify_result.html"
    form_class = VerifyUploadForm
    http_method_names = ["get", "post", "head", "options"]

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        upload.seek(0)
        result = verification_of(upload.read())
        if result.problem:
            form.add_error("file", result.problem)
            return self.form_invalid(form)
        names = named_signatures(self.request.tenant, result.record) if result.genuine else []
        context = self.get_context_data(
            form=self.form_class(),  # a fresh form, to check another file
            result=result,
            record=result.record,
            names=names,
            file_name=upload.name,
        )
        return render(self.request, self.result_template_name, context)


class PublicLookupView(View):
    """Anyone: type the identifier printed on a copy, and go to what may be known of it."""

    http_method_names = ["get", "head", "options"]
    template_name = "partnerships/agreement/verify_public.html"

    def get(self, request, *args, **kwargs):
        form = IdentifierForm(request.GET if "identifier" in request.GET else None)
        status = 200
        if form.is_bound:
            if form.is_valid():
                identifier = form.cleaned_data["identifier"]
                if public_record(identifier) is not None:
                    return redirect(reverse("verify_public:copy", kwargs={"identifier": identifier}))
                form.add_error("identifier", NO_SUCH_IDENTIFIER)
                status = 404
            else:
                status = 400
        return render(request, self.template_name, {"form": form, "example": IDENTIFIER_EXAMPLE}, status=status)


class PublicCopyView(View):
    """Anyone: one copy by its identifier. The partnership, version and term, school, the roles that
    signed and when, whether it is complete, and the sealed copy's SHA-256; never a name."""

    http_method_names = ["get", "head", "options"]
    template_name = "partnerships/agreement/verify_public_copy.html"

    def get(self, request, *args, identifier: str = "", **kwargs):
        canonical = canonical_identifier(identifier)
        if canonical is not None and canonical != identifier:  # typed in lower case or without dashes
            return redirect(reverse("verify_public:copy", kwargs={"identifier": canonical}))
        record = public_record(canonical) if canonical else None
        if record is None:
            form = IdentifierForm()
            context = {"form": form, "example": IDENTIFIER_EXAMPLE, "not_found": True}
            return render(request, "partnerships/agreement/verify_public.html", context, status=404)
        return render(request, self.template_name, {"record": record})
