"""Signing the agreement: where each school's copy stands, a copy's page and its PDFs, and signing a
block. A copy is the school's and the partnership's (partnerships.selectors.signing.may_see_copy): to
anyone else it does not exist (404), as a school's other private records do not."""

import io
import zipfile

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import TemplateView

from core.files import private_storage
from core.views import ServiceFormView, TableExportView, TenantViewMixin, row_id
from partnerships.forms.agreements import SignForm
from partnerships.models import AgreementCopy, AgreementVersion, SignatureBlock
from partnerships.selectors.agreements import agreement_on, agreement_version_detail
from partnerships.selectors.signing import (
    block_party,
    block_role_label,
    may_see_copy,
    sees_every_copy,
    signing_board,
    signing_board_table,
    signing_refusal,
)
from partnerships.services.signing import agreement_sign


class _CopyMixin:
    """Views about one school's copy, named in the URL; 404 to anyone it is not shared with."""

    def lookup(self, **kwargs):
        copy = get_object_or_404(
            AgreementCopy.objects.select_related("version__partnership", "school"), pk=row_id(kwargs["copy_pk"])
        )
        if not may_see_copy(self.request.tenant, copy):
            raise Http404("This school's copy is not shared with you")
        return copy


def _version_or_404(version_pk) -> AgreementVersion:
    return get_object_or_404(AgreementVersion, pk=row_id(version_pk))


def _visible_board(tenant, version: AgreementVersion) -> list:
    """The version's signing board as this reader sees it: the copies shared with them."""
    return [row for row in signing_board(version) if may_see_copy(tenant, row.copy)]


class SigningBoardView(TenantViewMixin, TemplateView):
    """Per school: the version's copy, who has signed and who is still to sign. Each reader sees the
    schools whose copies are shared with them (every school, for the coordinator and the chair)."""

    template_name = "partnerships/agreement/board.html"

    def lookup(self, **kwargs):
        return _version_or_404(kwargs["version_pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.lookup(**kwargs)
        tenant = self.request.tenant
        rows = _visible_board(tenant, version)
        complete = sum(1 for row in rows if row.copy.is_complete)
        context.update(version=version, rows=rows, complete=complete, agreement=agreement_on(self.partnership))
        context["keeps_every_copy"] = sees_every_copy(tenant)
        return context


class SigningBoardExportView(TableExportView):
    """A version's signing board as CSV or XLSX, under the board's permission: the copies the reader's
    board lists (their own school's, or every school's for the coordinator and the chair)."""

    def lookup(self, **kwargs):
        return _version_or_404(kwargs["version_pk"])

    def export_table(self, **kwargs):
        self.version = self.lookup(**kwargs)
        rows = _visible_board(self.request.tenant, self.version)
        if rows:
            blocks = [block_state.block for block_state in rows[0].blocks]
        else:
            blocks = list(SignatureBlock.objects.filter(version=self.version).order_by("order", "pk"))
        return signing_board_table(self.version, rows, blocks)

    def export_filename(self):
        return f"{self.partnership.slug}-agreement-v{self.version.number}-signing"


class SignedCopiesZipView(TenantViewMixin, View):
    """Every signed copy of a version in one ZIP: the partnership's own set ("copies held by both")."""

    http_method_names = ["get", "head", "options"]

    def lookup(self, **kwargs):
        return _version_or_404(kwargs["version_pk"])

    def get(self, request, *args, **kwargs):
        version = self.lookup(**kwargs)
        if not sees_every_copy(request.tenant):
            raise PermissionDenied
        copies = AgreementCopy.objects.filter(version=version).exclude(signed="").select_related("school")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for copy in copies.order_by("school__name"):
                with private_storage.open(copy.signed.name, "rb") as handle:
                    archive.writestr(f"{copy.school.urn}-{copy.identifier}-signed.pdf", handle.read())
        name = f"{version.partnership.slug}-agreement-v{version.number}-signed-copies.zip"
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response


class CopyView(_CopyMixin, TenantViewMixin, TemplateView):
    template_name = "partnerships/agreement/copy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        copy = self.lookup(**kwargs)
        [state] = signing_board(copy.version, schools=[copy.school_id])
        user = self.request.user
        can_sign = {b.block.pk for b in state.outstanding if not signing_refusal(user, copy, b.block)}
        context.update(copy=copy, version=copy.version, state=state, can_sign=can_sign)
        return context


class _CopyFileView(_CopyMixin, TenantViewMixin, View):
    http_method_names = ["get", "head", "options"]
    field = "blank"
    suffix = "unsigned"

    def get(self, request, *args, **kwargs):
        copy = self.lookup(**kwargs)
        stored = getattr(copy, self.field)
        if not stored:
            raise Http404("There is no such file for this copy yet")
        version = copy.version
        response = FileResponse(
            private_storage.open(stored.name, "rb"),
            as_attachment=request.GET.get("download") == "1",
            filename=f"{version.partnership.slug}-agreement-v{version.number}-{copy.school.urn}-{self.suffix}.pdf",
            content_type="application/pdf",
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class CopyBlankView(_CopyFileView):
    field, suffix = "blank", "unsigned"


class CopySignedView(_CopyFileView):
    field, suffix = "signed", "signed"


class SignView(_CopyMixin, ServiceFormView):
    """The document, then the name, the tick and the password: signing one block of one copy."""

    template_name = "partnerships/agreement/sign.html"
    form_class = SignForm
    context_object_name = "copy"

    def lookup(self, **kwargs):
        copy = super().lookup(**kwargs)
        self.block = get_object_or_404(SignatureBlock, pk=row_id(kwargs["block_pk"]), version=copy.version)
        return copy

    def _uses_code(self) -> bool:
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(user=self.request.user, type=Authenticator.Type.TOTP).exists()

    def party(self) -> str:
        return block_party(self.block, self.object.school.name, self.object.version.partnership.name)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        label = f"I agree to this agreement on behalf of {self.party()}"
        return kwargs | {"agree_label": label, "uses_code": self._uses_code()}

    def get_initial(self):
        return {"document_sha256": self.object.blank_sha256}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        copy = self.object
        context.update(agreement_version_detail(copy.version))
        context.update(
            block=self.block,
            role_label=block_role_label(self.block),
            party=self.party(),
            refusal=signing_refusal(self.request.user, copy, self.block),
        )
        return context

    def perform(self, form):
        data = form.cleaned_data
        return agreement_sign(
            actor=self.request.user,
            copy=self.object,
            block=self.block,
            name=data["name"],
            agreed=data["agreed"],
            document_sha256=data["document_sha256"],
            password=data.get("password", ""),
            code=data.get("code", ""),
            ip=self.request.META.get("REMOTE_ADDR"),
            user_agent=self.request.META.get("HTTP_USER_AGENT", ""),
        )

    def get_success_message(self, signature):
        return f"You have signed {self.object.school.name}'s copy as {signature.role_label.lower()}"

    def get_success_url(self, signature):
        return self.tenant_url("agreement:copy", copy_pk=self.object.pk)
