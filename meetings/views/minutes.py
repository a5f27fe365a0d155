"""Minutes, action points and the follow-up of a school's absences."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.text import slugify
from django.views import View
from django.views.generic import TemplateView

from core.pagination import paginate
from core.views import ServiceFormView, TableExportView, TenantViewMixin
from meetings.filters import ActionFilter
from meetings.forms import ActionDoneForm, ActionForm, ApproveForm, DecisionForm, FollowUpForm, NotesForm
from meetings.models import ActionPoint
from meetings.pack import render_pdf
from meetings.selectors import (
    absence_flags,
    actions_list,
    actions_table,
    meeting_access,
    minutes_awaiting_approval,
    minutes_document,
    minutes_of,
)
from meetings.services.minutes import (
    action_add,
    action_done,
    decision_record,
    follow_up_record,
    may_close_action,
    may_follow_up,
    minutes_approve,
    minutes_circulate,
    minutes_notes_save,
)
from meetings.services.scheduling import when_label
from meetings.views.meetings import _meeting_or_404, _MeetingFormView
from partnerships.selectors.members import member_school_or_none


def _readable_meeting(meeting_pk, user):
    """The meeting and the reader's access, if they may read its minutes as they stand (403 if not)."""
    meeting = _meeting_or_404(meeting_pk)
    access = meeting_access(user, meeting)
    minutes = minutes_of(meeting)
    if not access.may_read_minutes(minutes.status if minutes else None):
        raise PermissionDenied
    return meeting, access, minutes


def minutes_pdf(meeting, access, minutes) -> bytes:
    """The minutes as this reader may see them, as a tagged PDF."""
    context = _document_context(meeting, access, minutes) | {"partnership": meeting.partnership}
    return render_pdf("meetings/pack/minutes.html", context)


def _document_context(meeting, access, minutes) -> dict:
    return {
        "meeting": meeting,
        "minutes": minutes,
        "access": access,
        "when": when_label(meeting),
        **minutes_document(meeting, access),
    }


class MinutesView(TenantViewMixin, TemplateView):
    """The minutes as this reader may see them. Local authority observers reach it where the agreement
    sends them the minutes, so the page asks only for a role in the partnership and then the rule."""

    permission_required = "view_partnership"
    template_name = "meetings/minutes.html"

    def lookup(self, **kwargs):
        self.meeting, self.access, self.minutes = _readable_meeting(kwargs["meeting_pk"], self.request.user)
        return self.meeting

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.lookup(**kwargs)
        context.update(_document_context(self.meeting, self.access, self.minutes))
        return context


class MinutesPdfView(TenantViewMixin, View):
    """The minutes as a tagged PDF (PDF/UA), with the reader's version: confidential notes only for
    those entitled."""

    permission_required = "view_partnership"
    http_method_names = ["get", "head", "options"]

    def lookup(self, meeting_pk, **kwargs):
        return _readable_meeting(meeting_pk, self.request.user)

    def get(self, request, *args, **kwargs):
        meeting, access, minutes = self.lookup(**kwargs)
        pdf = minutes_pdf(meeting, access, minutes)
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"{slugify(meeting.title)}-{timezone.localtime(meeting.starts):%Y-%m-%d}-minutes.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response


class MinutesWriteView(_MeetingFormView):
    """The note-taker's minutes page: each item's notes and decisions, and the actions, saved in place
    (htmx) with the attendance and quorum alongside. One URL; the posted `part` says which form."""

    permission_required = "view_meetings"
    template_name = "meetings/minutes_write.html"
    PARTS = {"notes": NotesForm, "decision": DecisionForm, "action": ActionForm}

    def lookup(self, meeting_pk, **kwargs):
        meeting = _meeting_or_404(meeting_pk)
        self.access = meeting_access(self.request.user, meeting)
        if not self.access.may_take_minutes:
            raise PermissionDenied
        return meeting

    @property
    def part(self) -> str:
        part = self.request.POST.get("part", "notes")
        return part if part in self.PARTS else "notes"

    def get_form_class(self):
        return self.PARTS[self.part]

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"meeting": self.object}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        minutes = minutes_of(self.object)
        context.update(_document_context(self.object, self.access, minutes))
        context["part"] = self.part if self.request.method == "POST" else ""
        context["owners"] = ActionForm(meeting=self.object).fields["owner"].queryset
        context["awaiting_approval"] = list(minutes_awaiting_approval(self.object))
        context["is_draft"] = minutes is None or minutes.status == "draft"
        context["has_started"] = timezone.localtime(self.object.starts).date() <= timezone.localdate()
        return context

    def perform(self, form):
        data, actor = dict(form.cleaned_data), self.request.user
        if self.part == "decision":
            return decision_record(actor=actor, **data)
        if self.part == "action":
            return action_add(actor=actor, meeting=self.object, **data)
        return minutes_notes_save(actor=actor, **data)

    def get_success_message(self, result):
        return {"notes": "Notes saved", "decision": "Decision minuted", "action": "Action added"}[self.part]

    def get_success_url(self, result):
        anchor = "actions" if self.part == "action" else f"item-{self.request.POST.get('item', '')}"
        return self.tenant_url("meetings:minutes_write", anchor=anchor, meeting_pk=self.object.pk)

    def success_response(self, result):
        if self.request.headers.get("HX-Request") != "true":
            return super().success_response(result)
        # In place: the whole page, from which htmx takes the part that changed.
        form = self.get_form_class()(meeting=self.object)
        saved_item = self.request.POST.get("item", "")
        return self.render_to_response(self.get_context_data(form=form, saved=self.part, saved_item=saved_item))


class MinutesCirculateView(_MeetingFormView):
    permission_required = "view_meetings"
    template_name = "meetings/minutes_circulate.html"
    form_class = forms.Form

    def lookup(self, meeting_pk, **kwargs):
        meeting = _meeting_or_404(meeting_pk)
        if not meeting_access(self.request.user, meeting).may_take_minutes:
            raise PermissionDenied
        return meeting

    def perform(self, form):
        return minutes_circulate(actor=self.request.user, meeting=self.object)

    def get_success_message(self, minutes):
        return "The minutes are circulated; everyone who receives them is told"

    def get_success_url(self, minutes):
        return self.tenant_url("meetings:minutes", meeting_pk=self.object.pk)


class MinutesApproveView(_MeetingFormView):
    """At a meeting: record that it approved an earlier meeting's circulated minutes."""

    permission_required = "view_meetings"
    template_name = "meetings/minutes_approve.html"
    form_class = ApproveForm

    def lookup(self, meeting_pk, **kwargs):
        meeting = _meeting_or_404(meeting_pk)
        access = meeting_access(self.request.user, meeting)
        if not (access.manages or access.chairs):
            raise PermissionDenied
        return meeting

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"meeting": self.object}

    def perform(self, form):
        return minutes_approve(actor=self.request.user, minutes=form.cleaned_data["minutes"], at_meeting=self.object)

    def get_success_message(self, minutes):
        return f"The minutes of {minutes.meeting} are approved; these minutes record it"

    def get_success_url(self, minutes):
        return self.tenant_url("meetings:minutes_write", meeting_pk=self.object.pk)


class _ActionsMixin(TenantViewMixin):
    """The action points as the filters in the query string choose them."""

    permission_required = "view_meetings"

    def action_filter(self) -> ActionFilter:
        data = self.request.GET if self.request.GET else None
        return ActionFilter(data, queryset=actions_list(), partnership=self.partnership)


class ActionListView(_ActionsMixin, TemplateView):
    """Every action point, filtered by owner, status, meeting and due date."""

    template_name = "meetings/actions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = self.action_filter()
        context["filter"] = filters
        context["form"] = filters.form
        context["actions"] = paginate(self.request, filters.qs, per_page=50)
        context["today"] = timezone.localdate()
        context["mine"] = f"?owner={self.request.user.pk}&status=open"
        context["can_manage"] = self.request.tenant.has("manage_meetings")
        return context


class ActionsExportView(_ActionsMixin, TableExportView):
    """The filtered action points as CSV or XLSX: the page's rows, every page of them. Filters the page
    would refuse send the reader back to it, where the errors are explained."""

    def get(self, request, *args, **kwargs):
        self.filters = self.action_filter()
        if self.filters.is_bound and not self.filters.form.is_valid():
            return redirect(self.tenant_url("meetings:actions") + "?" + request.GET.urlencode())
        return super().get(request, *args, **kwargs)

    def export_table(self, **kwargs):
        return actions_table(self.filters.qs, timezone.localdate())

    def export_filename(self):
        return f"{self.partnership.slug}-action-points"


class ActionDoneView(ServiceFormView):
    permission_required = "view_meetings"
    template_name = "meetings/action_done.html"
    form_class = ActionDoneForm
    context_object_name = "action"

    def lookup(self, action_pk, **kwargs):
        action = get_object_or_404(
            ActionPoint.objects.select_related("meeting", "meeting__partnership", "owner", "item"), pk=action_pk
        )
        if not may_close_action(self.request.user, action):
            raise PermissionDenied
        return action

    def perform(self, form):
        return action_done(actor=self.request.user, action=self.object, **form.cleaned_data)

    def get_success_message(self, action):
        return "The action is marked done"

    def get_success_url(self, action):
        return self.tenant_url("meetings:actions") + f"?owner={action.owner_id}&status=open"


class FollowUpView(ServiceFormView):
    """The chair records the follow-up of a school that missed partnership meetings in a row."""

    permission_required = "view_meetings"
    template_name = "meetings/follow_up.html"
    form_class = FollowUpForm
    context_object_name = "school"

    def lookup(self, school_urn, **kwargs):
        school = member_school_or_none(school_urn)
        if school is None:
            raise Http404("This school has never been a member of the partnership")
        if not may_follow_up(self.request.tenant.roles):
            raise PermissionDenied
        self.flag = next(iter(absence_flags(self.partnership, timezone.now(), school=school)), None)
        return school

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"flag": self.flag}

    def perform(self, form):
        return follow_up_record(
            actor=self.request.user, partnership=self.partnership, school=self.object, **form.cleaned_data
        )

    def get_success_message(self, follow_up):
        return f"The follow-up of {self.object.name} is recorded"

    def get_success_url(self, follow_up):
        return self.tenant_url("members:school", school_urn=self.object.urn)
