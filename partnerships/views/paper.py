"""Signing the agreement on paper: uploading the scan of a school's signed copy, the coordinator's
check of it, and the scan itself. A copy is the school's and the partnership's
(partnerships.selectors.signing.may_see_copy): to anyone else these pages do not exist (404)."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import View

from core.files import private_storage
from core.views import ServiceFormView, TenantViewMixin, row_id
from partnerships.forms.paper import ScanConfirmForm, ScanRejectForm, ScanUploadForm
from partnerships.models import AgreementCopy
from partnerships.selectors.paper import CHECKS_SCANS, scan_check_refusal, scan_upload_refusal, size_label
from partnerships.selectors.signing import may_see_copy
from partnerships.services.paper import agreement_scan_confirm, agreement_scan_reject, agreement_scan_upload


class _PaperCopyMixin:
    """Views about one school's copy, named in the URL; 404 to anyone it is not shared with."""

    def lookup(self, **kwargs):
        copy = get_object_or_404(
            AgreementCopy.objects.select_related("version__partnership", "school", "scan_uploaded_by"),
            pk=row_id(kwargs["copy_pk"]),
        )
        if not may_see_copy(self.request.tenant, copy):
            raise Http404("This school's copy is not shared with you")
        return copy


class ScanUploadView(_PaperCopyMixin, ServiceFormView):
    """Print the copy, sign it, scan it and upload the scan: for the school's headteacher and the
    coordinator; the others who see the copy are told who uploads it."""

    template_name = "partnerships/agreement/paper_upload.html"
    form_class = ScanUploadForm
    context_object_name = "copy"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        copy = self.object
        context.update(
            version=copy.version,
            refusal=scan_upload_refusal(self.request.user, copy),
            max_size=size_label(settings.AGREEMENT_UPLOAD_MAX_BYTES),
        )
        return context

    def perform(self, form):
        return agreement_scan_upload(actor=self.request.user, copy=self.object, upload=form.cleaned_data["scan"])

    def get_success_message(self, copy):
        return f"The scan of {copy.school.name}'s signed copy is uploaded: the coordinator will check it"

    def get_success_url(self, copy):
        return self.tenant_url("agreement:copy", copy_pk=copy.pk)


class _ScanCheckView(_PaperCopyMixin, ServiceFormView):
    """The coordinator's check: the scan and the copy side by side, then Confirm or Send back. Both
    forms are on one page; each posts to its own address."""

    permission_required = CHECKS_SCANS
    template_name = "partnerships/agreement/paper_check.html"
    context_object_name = "copy"

    def get_initial(self):
        return {"scan_sha256": self.object.scan_sha256}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        copy = self.object
        form = context["form"]
        seen = {"scan_sha256": copy.scan_sha256}  # the scan on this page: a later one is not confirmed unseen
        confirm = form if isinstance(form, ScanConfirmForm) else ScanConfirmForm(initial=seen, prefix="confirm")
        reject = form if isinstance(form, ScanRejectForm) else ScanRejectForm(initial=seen, prefix="reject")
        context.update(
            version=copy.version,
            refusal=scan_check_refusal(self.request.user, copy),
            confirm_form=confirm,
            reject_form=reject,
        )
        return context

    def get_success_url(self, copy):
        return self.tenant_url("agreement:copy", copy_pk=copy.pk)


class ScanConfirmView(_ScanCheckView):
    form_class = ScanConfirmForm
    prefix = "confirm"

    def perform(self, form):
        return agreement_scan_confirm(
            actor=self.request.user, copy=self.object, scan_sha256=form.cleaned_data["scan_sha256"] or None
        )

    def get_success_message(self, copy):
        return f"{copy.school.name}'s copy is confirmed as signed on paper"


class ScanRejectView(_ScanCheckView):
    form_class = ScanRejectForm
    prefix = "reject"

    def perform(self, form):
        data = form.cleaned_data
        return agreement_scan_reject(
            actor=self.request.user, copy=self.object, reason=data["reason"], scan_sha256=data["scan_sha256"] or None
        )

    def get_success_message(self, copy):
        return f"The scan of {copy.school.name}'s copy is sent back: it awaits its signatures again"


class ScanFileView(_PaperCopyMixin, TenantViewMixin, View):
    """The uploaded scan, for anyone who sees the copy. It is the school's file, not ours: always a
    download, never shown in the app's own origin."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        copy = self.lookup(**kwargs)
        if not copy.scan:
            raise Http404("No scan of this copy has been uploaded")
        version = copy.version
        response = FileResponse(
            private_storage.open(copy.scan.name, "rb"),
            as_attachment=True,
            filename=f"{version.partnership.slug}-agreement-v{version.number}-{copy.school.urn}-signed-on-paper.pdf",
            content_type="application/pdf",
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
