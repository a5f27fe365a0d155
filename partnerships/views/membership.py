import os

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from core.pagination import paginate
from core.views import ServiceFormView, TableExportView, TenantViewMixin
from partnerships.calendar import academic_year_of
from partnerships.forms.membership import LeavingNoticeForm, MembershipJoinForm, WithdrawalNotesForm
from partnerships.models import LeavingNotice, Membership
from partnerships.selectors import constitution as selectors
from partnerships.selectors.constitution import constitution_of
from partnerships.selectors.terms import terms_for_years
from partnerships.services.membership import (
    LETTER_CONTENT_TYPES,
    leaving_notice_record,
    membership_join,
    membership_update_notes,
    notice_explanation,
    refund_statement,
)
from schools.models import School


class _MembershipsMixin(TenantViewMixin):
    permission_required = "view_members"

    def status(self) -> str:
        """The status filter of the query string; current members unless it names another."""
        status = self.request.GET.get("status", "current")
        return status if status in selectors.STATUS_FILTERS else "current"


class MembershipListView(_MembershipsMixin, TemplateView):
    """Every membership, past and present, with its status; filter by status."""

    template_name = "partnerships/membership/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.status()
        page = paginate(self.request, selectors.memberships_filtered(status))
        counts = selectors.membership_counts()
        context.update(
            page_obj=page,
            status=status,
            filters=[(key, label, counts[key]) for key, label in selectors.STATUS_FILTERS.items()],
            today=timezone.localdate(),
        )
        return context


class MembershipListExportView(_MembershipsMixin, TableExportView):
    """The membership record as its status filter shows it, as CSV or XLSX."""

    def export_table(self, **kwargs):
        status = self.status()
        today = timezone.localdate()
        title = f"Membership: {selectors.STATUS_FILTERS[status].lower()}"
        return selectors.memberships_table(selectors.memberships_filtered(status, today), title=title, on=today)

    def export_filename(self):
        return f"{self.partnership.slug}-membership-{self.status()}"


class MembershipJoinView(ServiceFormView):
    """Add a school from the register as a member, on the strategic group's recorded decision."""

    permission_required = "manage_members"
    template_name = "partnerships/membership/join.html"
    form_class = MembershipJoinForm

    def get_initial(self):
        school = self.request.GET.get("school", "")
        return {"school": school[:9]} if school.isdigit() else {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "")[:100]
        context.update(query=query, results=selectors.schools_to_join(query) if query else None)
        form = context["form"]
        if not form.is_bound and form.initial.get("school"):
            context["chosen"] = School.objects.filter(urn=int(form.initial["school"])).first()
        return context

    def perform(self, form):
        return membership_join(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)

    def get_success_message(self, membership):
        return f"{membership.school.name} is a member from {membership.joined:%-d %B %Y}"

    def get_success_url(self, membership):
        return self.tenant_url("membership:detail", membership_pk=membership.pk)


class MembershipDetailView(TenantViewMixin, TemplateView):
    """One school's membership: joining, approval, notices, status and withdrawal notes."""

    permission_required = "view_members"
    template_name = "partnerships/membership/detail.html"

    def lookup(self, membership_pk, **kwargs):
        return get_object_or_404(selectors.memberships_for_page(), pk=membership_pk)

    def get_context_data(self, membership_pk, **kwargs):
        context = super().get_context_data(**kwargs)
        membership = self.lookup(membership_pk)
        notices = list(membership.notices.all())
        context.update(membership=membership, notices=notices, today=timezone.localdate())
        return context


class LeavingNoticeRecordView(ServiceFormView):
    """Record a school's formal written notice to leave; the leaving date is worked out from the rule."""

    permission_required = "manage_members"
    template_name = "partnerships/membership/notice_record.html"
    form_class = LeavingNoticeForm
    context_object_name = "membership"

    def lookup(self, membership_pk, **kwargs):
        return get_object_or_404(selectors.memberships_for_page(), pk=membership_pk)

    @cached_property
    def constitution(self):
        return constitution_of(self.partnership)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"notice_rule": self.constitution.is_set("leaving_notice_terms")}

    def get_context_data(self, **kwargs):
        constitution = self.constitution
        return super().get_context_data(
            notices=list(self.object.notices.all()),
            constitution=constitution,
            leaving_rule=selectors.leaving_rule(constitution),
            is_banker=constitution.banker_school_id == self.object.school_id,
            today=timezone.localdate(),
            **kwargs,
        )

    def perform(self, form):
        return leaving_notice_record(actor=self.request.user, membership=self.object, **form.cleaned_data)

    def get_success_message(self, notice):
        return f"Notice recorded: {self.object.school.name} leaves on {notice.leaving_on:%-d %B %Y}"

    def get_success_url(self, notice):
        return self.tenant_url("membership:notice_detail", notice_pk=notice.pk)


class LeavingNoticeDetailView(TenantViewMixin, TemplateView):
    """A notice to leave: when it arrived, from whom, the leaving date and why, and the refund rule."""

    permission_required = "view_members"
    template_name = "partnerships/membership/notice_detail.html"

    def lookup(self, notice_pk, **kwargs):
        return get_object_or_404(selectors.notice_for_page(), pk=notice_pk)

    def get_context_data(self, notice_pk, **kwargs):
        context = super().get_context_data(**kwargs)
        notice = self.lookup(notice_pk)
        constitution = constitution_of(self.partnership)
        year = academic_year_of(notice.received_on)
        terms = terms_for_years(self.partnership, year, year + 3)
        school = notice.membership.school
        is_banker = constitution.banker_school_id == school.pk
        context.update(
            notice=notice,
            banker_departure=selectors.banker_departure(self.partnership) if is_banker else None,
            membership=notice.membership,
            constitution=constitution,
            explanation=notice_explanation(
                notice=notice, terms=terms, notice_rule=constitution.is_set("leaving_notice_terms")
            ),
            refund=refund_statement(
                partnership=self.partnership, constitution=constitution, school=school, leaving_on=notice.leaving_on
            ),
            today=timezone.localdate(),
        )
        return context


class LeavingNoticeLetterView(TenantViewMixin, View):
    """The letter itself, as a download (never shown inline, so an uploaded file cannot run as a page)."""

    permission_required = "manage_members"

    def lookup(self, notice_pk, **kwargs):
        return get_object_or_404(LeavingNotice.objects.select_related("membership__school"), pk=notice_pk)

    def get(self, request, *args, notice_pk, **kwargs):
        notice = self.lookup(notice_pk)
        if not notice.letter:
            raise Http404("No letter was attached")
        extension = os.path.splitext(notice.letter.name)[1].lower()
        try:
            handle = notice.letter.open("rb")
        except FileNotFoundError:
            raise Http404("The letter's file is missing") from None
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"notice-{notice.membership.school.urn}-{notice.received_on.isoformat()}{extension}",
            content_type=LETTER_CONTENT_TYPES.get(extension, "application/octet-stream"),
        )


class MembershipNotesView(ServiceFormView):
    permission_required = "manage_members"
    template_name = "partnerships/membership/notes.html"
    form_class = WithdrawalNotesForm
    context_object_name = "membership"

    def lookup(self, membership_pk, **kwargs):
        return get_object_or_404(Membership.objects.select_related("school"), pk=membership_pk)

    def get_initial(self):
        return {"withdrawal_notes": self.object.withdrawal_notes}

    def perform(self, form):
        membership_update_notes(actor=self.request.user, membership=self.object, **form.cleaned_data)

    def get_success_message(self, result):
        return f"Notes on {self.object.school.name} saved"

    def get_success_url(self, result):
        return self.tenant_url("membership:detail", membership_pk=self.object.pk)
