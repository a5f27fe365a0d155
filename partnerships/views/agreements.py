"""The partnership agreement's pages: the version in force, each version, and the coordinator's drafting
(sections with a live preview, the term, who signs, publishing and renewing). Everyone in the partnership
reads; only `change_constitution` changes anything."""

from django.shortcuts import get_object_or_404, render
from django.views.generic import TemplateView

from core.views import ServiceFormView, TenantViewMixin
from partnerships.agreement_text import agreement_text_html, agreement_text_problems
from partnerships.forms.agreements import (
    AgreementDraftForm,
    AgreementSectionForm,
    AgreementSignatoriesForm,
    AgreementTermForm,
    ConfirmForm,
)
from partnerships.models import AgreementSection, AgreementVersion, SignatureBlock
from partnerships.selectors.agreements import (
    agreement_comparison,
    agreement_on,
    agreement_version_detail,
    agreement_versions,
)
from partnerships.services.agreements import (
    agreement_draft_create,
    agreement_publish,
    agreement_renew,
    agreement_section_update,
    agreement_signatories_set,
    agreement_term_set,
)

CHANGE = "change_constitution"


def _version_or_404(version_pk):
    return get_object_or_404(AgreementVersion.objects.select_related("published_by"), pk=version_pk)


class AgreementView(TenantViewMixin, TemplateView):
    template_name = "partnerships/agreement/current.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = agreement_on(self.partnership)
        versions = agreement_versions(self.partnership)
        context.update(
            agreement=agreement,
            versions=versions,
            draft=next((v for v in versions if v.is_draft), None),
            can_change=self.request.tenant.has(CHANGE),
        )
        if agreement.version is not None:
            context.update(agreement_version_detail(agreement.version))
        return context


class VersionView(TenantViewMixin, TemplateView):
    template_name = "partnerships/agreement/version.html"

    def lookup(self, **kwargs):
        return _version_or_404(kwargs["version_pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.lookup(**kwargs)
        context.update(agreement_version_detail(version))
        latest = agreement_on(self.partnership)
        context.update(in_force=latest.version, in_force_state=latest.state)
        context["can_change"] = self.request.tenant.has(CHANGE)
        return context


class VersionCompareView(TenantViewMixin, TemplateView):
    template_name = "partnerships/agreement/compare.html"

    def lookup(self, **kwargs):
        return _version_or_404(kwargs["version_pk"]), _version_or_404(kwargs["other_version_pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        older, newer = sorted(self.lookup(**kwargs), key=lambda v: v.number)
        context.update(older=older, newer=newer, **agreement_comparison(older, newer))
        return context


class AgreementDraftView(ServiceFormView):
    permission_required = CHANGE
    template_name = "partnerships/agreement/draft.html"
    form_class = AgreementDraftForm

    def perform(self, form):
        return agreement_draft_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)

    def get_success_message(self, version):
        return f"Version {version.number} drafted: edit its sections, then publish it"

    def get_success_url(self, version):
        return self.tenant_url("agreement:version", version_pk=version.pk)


class _VersionFormView(ServiceFormView):
    """A form about one version of this partnership's agreement, named in the URL."""

    permission_required = CHANGE
    context_object_name = "version"
    form_class = ConfirmForm

    def lookup(self, version_pk, **kwargs):
        return _version_or_404(version_pk)

    def get_success_url(self, result):
        version = result if isinstance(result, AgreementVersion) else self.object
        return self.tenant_url("agreement:version", version_pk=version.pk)


class VersionTermView(_VersionFormView):
    template_name = "partnerships/agreement/term.html"
    form_class = AgreementTermForm
    success_message = "Term saved"

    def get_initial(self):
        return {"starts": self.object.starts, "ends": self.object.ends}

    def perform(self, form):
        return agreement_term_set(actor=self.request.user, version=self.object, **form.cleaned_data)


class VersionSignatoriesView(_VersionFormView):
    template_name = "partnerships/agreement/signatories.html"
    form_class = AgreementSignatoriesForm
    success_message = "Signatories saved"

    def get_initial(self):
        return AgreementSignatoriesForm.initial_for(SignatureBlock.objects.filter(version=self.object))

    def perform(self, form):
        return agreement_signatories_set(actor=self.request.user, version=self.object, blocks=form.blocks())

    def add_service_errors(self, form, error):
        # The service names the blocks; on this page they are the roles' checkboxes.
        for message in error.message_dict.get("blocks", []) if hasattr(error, "error_dict") else error.messages:
            form.add_error("roles", message)


class VersionPublishView(_VersionFormView):
    template_name = "partnerships/agreement/publish.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | agreement_version_detail(self.object)

    def perform(self, form):
        return agreement_publish(actor=self.request.user, version=self.object)

    def get_success_message(self, version):
        return f"Version {version.number} published"


class VersionRenewView(_VersionFormView):
    template_name = "partnerships/agreement/renew.html"

    def perform(self, form):
        return agreement_renew(actor=self.request.user, version=self.object)

    def get_success_message(self, version):
        return f"Version {version.number} drafted to renew version {self.object.number}"


def _section_or_404(section_pk):
    return get_object_or_404(AgreementSection.objects.select_related("version"), pk=section_pk)


class SectionEditView(ServiceFormView):
    permission_required = CHANGE
    template_name = "partnerships/agreement/section.html"
    form_class = AgreementSectionForm
    context_object_name = "section"

    def lookup(self, section_pk, **kwargs):
        return _section_or_404(section_pk)

    def get_initial(self):
        return {"heading": self.object.heading, "text": self.object.text}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        text = self.form.data.get("text", "") if getattr(self, "form", None) else self.object.text
        context.update(version=self.object.version, preview=_preview(text))
        return context

    def perform(self, form):
        return agreement_section_update(actor=self.request.user, section=self.object, **form.cleaned_data)

    def get_success_message(self, section):
        return f"{section.heading} saved"

    def get_success_url(self, section):
        return self.tenant_url("agreement:version", anchor=f"section-{section.key}", version_pk=section.version_id)


def _preview(text: str) -> dict:
    problems = agreement_text_problems(text)
    return {"problems": problems, "html": "" if problems else agreement_text_html(text)}


class SectionPreviewView(TenantViewMixin, TemplateView):
    """The section's text as it will read, for the edit page's live preview. A GET: it saves nothing."""

    permission_required = CHANGE
    http_method_names = ["get", "head", "options"]

    def lookup(self, **kwargs):
        return _section_or_404(kwargs["section_pk"])

    def get(self, request, *args, **kwargs):
        section = self.lookup(**kwargs)
        text = request.GET.get("text", section.text)
        return render(request, "partnerships/agreement/_preview.html", {"preview": _preview(text)})
