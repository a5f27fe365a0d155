import datetime

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django.views import View
from django.views.generic import TemplateView

from core.pagination import paginate
from core.views import BaseServiceFormView, ServiceFormView, TableExportView, TenantViewMixin
from meetings import calendar
from meetings.forms import (
    AnswerForm,
    AttendanceForm,
    CancelForm,
    InviteeAddForm,
    MeetingForm,
    SeriesForm,
    meeting_initial,
)
from meetings.models import Invitee, Meeting
from meetings.selectors import (
    DEFAULT_NOTICE_DAYS,
    agenda_for,
    attendance_sheet,
    attendance_table,
    feed_holder,
    feed_meetings_for,
    has_live_feed,
    invitee_from_answer_token,
    invitee_notice,
    meeting_access,
    meeting_detail,
    meeting_schools,
    meetings_past,
    meetings_shortfall,
    meetings_table,
    meetings_upcoming,
    minutes_of,
    month_calendar,
    partnership_calendar,
)
from meetings.services.notices import meeting_notice_resend
from meetings.services.scheduling import (
    attendance_record,
    calendar_link_create,
    calendar_link_stop,
    may_record_attendance,
    meeting_answer,
    meeting_cancel,
    meeting_change,
    meeting_invitee_add,
    meeting_invitee_remove,
    meeting_schedule,
    when_label,
)
from meetings.services.series import meeting_series_plan, meeting_series_schedule
from partnerships.calendar import academic_year_label, academic_year_of
from partnerships.selectors.constitution import constitution_of


def _meeting_or_404(meeting_pk) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("partnership", "venue_school", "group", "chair", "note_taker", "organiser"),
        pk=meeting_pk,
    )


def _with_notice_rule(context: dict, partnership) -> dict:
    context["notice_days"] = constitution_of(partnership).notice_days
    context["default_notice_days"] = DEFAULT_NOTICE_DAYS
    return context


class MeetingListView(TenantViewMixin, TemplateView):
    permission_required = "view_meetings"
    template_name = "meetings/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        context["upcoming"] = list(meetings_upcoming(now)[:50])
        context["past"] = paginate(self.request, meetings_past(now), per_page=25)
        context["can_manage"] = self.request.tenant.has("manage_meetings")
        today = timezone.localdate()
        context["this_month"] = today
        context["shortfall"] = meetings_shortfall(self.partnership, academic_year_of(today))
        return context


class MeetingListExportView(TableExportView):
    """Every meeting on the list, coming up and past, as CSV or XLSX."""

    permission_required = "view_meetings"

    def export_table(self, **kwargs):
        return meetings_table(timezone.now())

    def export_filename(self):
        return f"{self.partnership.slug}-meetings"


class MeetingDetailView(TenantViewMixin, TemplateView):
    permission_required = "view_meetings"
    template_name = "meetings/detail.html"

    def lookup(self, **kwargs):
        return _meeting_or_404(kwargs["meeting_pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.lookup(**kwargs)
        context.update(meeting_detail(meeting, self.request.user))
        context["when"] = when_label(meeting)
        context["can_manage"] = self.request.tenant.has("manage_meetings")
        context["access"] = access = meeting_access(self.request.user, meeting)
        context["items"] = agenda_for(meeting, access)
        context["minutes"] = minutes = minutes_of(meeting)
        context["can_read_minutes"] = access.may_read_minutes(minutes.status if minutes else None)
        context["can_write_minutes"] = (
            access.may_take_minutes
            and not meeting.is_cancelled
            and timezone.localtime(meeting.starts).date() <= timezone.localdate()
        )
        context["can_record_attendance"] = (
            not meeting.is_cancelled
            and timezone.localtime(meeting.starts).date() <= timezone.localdate()
            and (context["can_manage"] or meeting.note_taker_id == self.request.user.pk)
        )
        return context


class _MeetingFormView(ServiceFormView):
    permission_required = "manage_meetings"
    context_object_name = "meeting"

    def lookup(self, meeting_pk, **kwargs):
        return _meeting_or_404(meeting_pk)

    def get_success_url(self, result):
        meeting = result.meeting if isinstance(result, Invitee) else result
        return self.tenant_url("meetings:detail", meeting_pk=meeting.pk)


class MeetingScheduleView(ServiceFormView):
    permission_required = "manage_meetings"
    template_name = "meetings/form.html"
    form_class = MeetingForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"partnership": self.partnership}

    def get_initial(self):
        kind = self.request.GET.get("kind")
        return {"kind": kind} if kind in Meeting.Kind.values else {}

    def get_context_data(self, **kwargs):
        return _with_notice_rule(super().get_context_data(**kwargs), self.partnership)

    def perform(self, form):
        return meeting_schedule(actor=self.request.user, partnership=self.partnership, **form.service_data())

    def get_success_message(self, meeting):
        return f"{meeting.title} scheduled; the invitations are on their way"

    def get_success_url(self, meeting):
        return self.tenant_url("meetings:detail", meeting_pk=meeting.pk)


class MeetingChangeView(_MeetingFormView):
    template_name = "meetings/form.html"
    form_class = MeetingForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs() | {"partnership": self.partnership, "meeting": self.object}
        if self.request.method != "POST":
            kwargs["initial"] = meeting_initial(self.object)
        return kwargs

    def get_context_data(self, **kwargs):
        return _with_notice_rule(super().get_context_data(**kwargs), self.partnership)

    def perform(self, form):
        return meeting_change(actor=self.request.user, meeting=self.object, **form.service_data())

    def get_success_message(self, meeting):
        return f"{meeting.title} saved; anyone whose calendar changes is sent the update"


class MeetingCancelView(_MeetingFormView):
    template_name = "meetings/cancel.html"
    form_class = CancelForm

    def perform(self, form):
        return meeting_cancel(actor=self.request.user, meeting=self.object, **form.cleaned_data)

    def get_success_message(self, meeting):
        return f"{meeting.title} cancelled; everyone invited is told"


class InviteeAddView(_MeetingFormView):
    template_name = "meetings/invitee_add.html"
    form_class = InviteeAddForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"meeting": self.object}

    def perform(self, form):
        return meeting_invitee_add(actor=self.request.user, meeting=self.object, **form.cleaned_data)

    def get_success_message(self, invitee):
        return f"{invitee.name} invited; their invitation is on its way"


class InviteeRemoveView(_MeetingFormView):
    template_name = "meetings/invitee_remove.html"
    form_class = forms.Form
    context_object_name = "invitee"

    def lookup(self, invitee_pk, **kwargs):
        return get_object_or_404(
            Invitee.objects.select_related("meeting", "meeting__partnership", "user", "person", "school"),
            pk=invitee_pk,
            removed_at__isnull=True,
        )

    def perform(self, form):
        return meeting_invitee_remove(actor=self.request.user, invitee=self.object)

    def get_success_message(self, invitee):
        return f"{invitee.name} taken off the meeting and sent the cancellation"


class MeetingAnswerView(_MeetingFormView):
    """The signed-in person's answer to their invitation."""

    permission_required = "view_meetings"
    template_name = "meetings/answer.html"
    form_class = AnswerForm

    def lookup(self, meeting_pk, **kwargs):
        meeting = _meeting_or_404(meeting_pk)
        self.invitee = (
            meeting.invitees.filter(user=self.request.user, removed_at__isnull=True)
            .select_related("school", "meeting__partnership")
            .first()
        )
        return meeting

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs() | {"invitee": self.invitee}
        if self.request.method != "POST" and self.invitee is not None and self.invitee.answer:
            kwargs["initial"] = {
                "answer": self.invitee.answer,
                "apologies_reason": self.invitee.apologies_reason,
                "substitute": next(
                    (s.person_id for s in self.invitee.substitutes.filter(removed_at__isnull=True)), None
                ),
            }
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["invitee"] = self.invitee
        context["when"] = when_label(self.object)
        return context

    def perform(self, form):
        if self.invitee is None:
            raise ValidationError("You are not invited to this meeting, so there is nothing to answer")
        return meeting_answer(actor=self.request.user, invitee=self.invitee, **form.cleaned_data)

    def get_success_message(self, invitee):
        return f"Thank you: your answer is recorded ({invitee.get_answer_display().lower()})"


def _ics(meetings, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.feed(list(meetings)), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=900"
    return response


class CalendarView(TenantViewMixin, TemplateView):
    """How to see the meetings in one's own calendar: the personal link, and the partnership's calendar."""

    permission_required = "view_meetings"
    template_name = "meetings/calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["has_link"] = has_live_feed(self.request.user)
        return context


class CalendarLinkCreateView(ServiceFormView):
    permission_required = "view_meetings"
    template_name = "meetings/calendar_link.html"
    form_class = forms.Form

    def perform(self, form):
        return calendar_link_create(actor=self.request.user, partnership=self.partnership)

    def get_success_message(self, token):
        url = self.request.build_absolute_uri(self.tenant_url("meetings:feed", token=token))
        return f"Your calendar link (copy it now: it is shown only once): {url}"

    def get_success_url(self, token):
        return self.tenant_url("meetings:calendar")


class CalendarLinkStopView(ServiceFormView):
    permission_required = "view_meetings"
    template_name = "meetings/calendar_stop.html"
    form_class = forms.Form
    success_message = "Your calendar link is stopped: calendars subscribed to it get no more meetings"

    def perform(self, form):
        return calendar_link_stop(actor=self.request.user, partnership=self.partnership)

    def get_success_url(self, result):
        return self.tenant_url("meetings:calendar")


class PartnershipCalendarView(TenantViewMixin, View):
    """Every meeting of the partnership as an .ics file to download or import."""

    permission_required = "view_meetings"
    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        return _ics(partnership_calendar(timezone.now()), f"{self.partnership.slug}-meetings.ics")


class FeedView(View):
    """A person's calendar link, fetched by their calendar program without signing in: the token is
    the capability (the tenant middleware lets `token_access` views through with the scope active)."""

    token_access = True
    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, token: str, **kwargs):
        return _ics(feed_meetings_for(self._holder(token), timezone.now()), "meetings.ics")

    def http_method_not_allowed(self, request, *args, token: str = "", **kwargs):
        self._holder(token)  # a 405 must not confirm that a link exists
        return super().http_method_not_allowed(request, *args, **kwargs)

    @staticmethod
    def _holder(token: str):
        user = feed_holder(token)
        if user is None:
            raise Http404("No such calendar link")
        return user


def _attendance_meeting(request, meeting_pk) -> Meeting:
    """The meeting whose attendance the reader records: its note-taker's and the coordinator's (403 to
    anyone else who sees the meeting; 404 if it is not this partnership's)."""
    meeting = _meeting_or_404(meeting_pk)
    if not may_record_attendance(request.user, meeting):
        raise PermissionDenied
    return meeting


class AttendanceView(_MeetingFormView):
    """The note-taker's attendance page: each school's attendance recorded in place (htmx), with the
    quorum recounted as they go."""

    permission_required = "view_meetings"
    template_name = "meetings/attendance.html"
    form_class = AttendanceForm

    def lookup(self, meeting_pk, **kwargs):
        meeting = _attendance_meeting(self.request, meeting_pk)
        self.schools = meeting_schools(meeting)
        return meeting

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"schools": self.schools}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(attendance_sheet(self.object))
        context["statuses"] = AttendanceForm.base_fields["status"].choices
        context["when"] = when_label(self.object)
        return context

    def perform(self, form):
        return attendance_record(actor=self.request.user, meeting=self.object, **form.cleaned_data)

    def get_success_message(self, attendance):
        return f"{attendance.school.name}: {attendance.get_status_display().lower()}"

    def get_success_url(self, attendance):
        return self.tenant_url("meetings:attendance", meeting_pk=self.object.pk)

    def success_response(self, attendance):
        if self.request.headers.get("HX-Request") != "true":
            return super().success_response(attendance)
        # In place: the whole page, from which htmx takes the school's row and the quorum box.
        form = self.get_form_class()(schools=self.schools)
        return self.render_to_response(self.get_context_data(form=form, saved=attendance))


class AttendanceExportView(TableExportView):
    """A meeting's attendance as its note-taker's page lists it, as CSV or XLSX, to those who record it."""

    permission_required = "view_meetings"

    def lookup(self, meeting_pk, **kwargs):
        return _attendance_meeting(self.request, meeting_pk)

    def export_table(self, **kwargs):
        self.meeting = self.lookup(**kwargs)
        return attendance_table(self.meeting, attendance_sheet(self.meeting))

    def export_filename(self):
        day = timezone.localtime(self.meeting.starts).date().isoformat()
        return f"{self.partnership.slug}-attendance-{day}-{slugify(self.meeting.title) or 'meeting'}"


class AnswerByLinkView(BaseServiceFormView):
    """The answer link in an invitation email: a confirmation page, then a POST (mail scanners follow
    links, so opening it changes nothing). The signed token is the capability: no sign-in, and the
    tenant middleware lets the page through with the partnership's scope active."""

    token_access = True
    template_name = "meetings/answer_link.html"
    form_class = AnswerForm

    def lookup(self, answer_token, **kwargs):
        invitee = invitee_from_answer_token(answer_token)
        if invitee is None:
            raise Http404("No such invitation")
        return invitee

    def http_method_not_allowed(self, request, *args, **kwargs):
        self.lookup(**kwargs)  # a 405 must not confirm that a link exists
        return super().http_method_not_allowed(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"invitee": self.object}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(invitee=self.object, meeting=self.object.meeting, when=when_label(self.object.meeting))
        return context

    def perform(self, form):
        return meeting_answer(actor=None, invitee=self.object, by_link=True, **form.cleaned_data)

    def get_success_message(self, invitee):
        return f"Thank you, {invitee.name}: your answer is recorded ({invitee.get_answer_display().lower()})"

    def get_success_url(self, invitee):
        return self.request.path


class SeriesScheduleView(ServiceFormView):
    """A half-termly series in two steps: the form, then its dates to check (the GOV.UK "check your
    answers" pattern), then the meetings made. The check step writes nothing."""

    permission_required = "manage_meetings"
    template_name = "meetings/series.html"
    form_class = SeriesForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"partnership": self.partnership}

    def get_initial(self):
        return {"kind": Meeting.Kind.PARTNERSHIP, "title": "Partnership meeting", "weekday": 1, "week": 3}

    def get_context_data(self, **kwargs):
        return _with_notice_rule(super().get_context_data(**kwargs), self.partnership)

    def post(self, request, *args, **kwargs):
        if "confirm" in request.POST:
            return super().post(request, *args, **kwargs)
        self.object = None
        self.form = form = self.get_form()
        if not form.is_valid():
            return self.form_invalid(form)
        if "change" in request.POST:  # back from the dates to the form, as it was filled in
            return self.render_to_response(self.get_context_data(form=form))
        try:
            plan = meeting_series_plan(partnership=self.partnership, **form.service_data())
        except ValidationError as error:
            self.add_service_errors(form, error)
            return self.form_invalid(form)
        year = academic_year_label(form.cleaned_data["academic_year"])
        context = self.get_context_data(form=form, plan=plan, year=year)
        return self.response_class(
            request=request, template=["meetings/series_check.html"], context=context, using=self.template_engine
        )

    def perform(self, form):
        return meeting_series_schedule(actor=self.request.user, partnership=self.partnership, **form.service_data())

    def get_success_message(self, meetings):
        year = academic_year_label(self.form.cleaned_data["academic_year"])
        return f"{len(meetings)} meetings scheduled for {year}; the invitations are on their way"

    def get_success_url(self, meetings):
        return self.tenant_url("meetings:list")


class MeetingMonthView(TenantViewMixin, TemplateView):
    """The partnership's meetings in one calendar month, as a grid of weeks."""

    permission_required = "view_meetings"
    template_name = "meetings/month.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year, month = kwargs["year"], kwargs["month"]
        if not (1 <= month <= 12 and 2000 <= year <= 2100):
            raise Http404("No such month")
        first = datetime.date(year, month, 1)
        before = first - datetime.timedelta(days=1)
        after = first + datetime.timedelta(days=32)
        weeks = month_calendar(year, month)
        context.update(
            first=first,
            weeks=[{"days": week, "busy": any(day.in_month and day.meetings for day in week)} for week in weeks],
            count=sum(len(day.meetings) for week in weeks for day in week if day.in_month),
            previous=before if before.year >= 2000 else None,
            next=after.replace(day=1) if after.year <= 2100 else None,
            today=timezone.localdate(),
            weekdays=["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        )
        return context


class _InviteeView(_MeetingFormView):
    context_object_name = "invitee"

    def lookup(self, invitee_pk, **kwargs):
        return get_object_or_404(
            Invitee.objects.select_related("meeting", "meeting__partnership", "user", "person", "school"),
            pk=invitee_pk,
            removed_at__isnull=True,
        )


class NoticeResendView(_InviteeView):
    """Send again a notice the mail server refused: what it said, then a button."""

    template_name = "meetings/notice_resend.html"
    form_class = forms.Form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notice"] = invitee_notice(self.object.meeting, self.object)
        context["meeting"] = self.object.meeting
        return context

    def perform(self, form):
        return meeting_notice_resend(actor=self.request.user, invitee=self.object)

    def get_success_message(self, notice):
        return f"The notice to {self.object.name} is being sent again"

    def get_success_url(self, notice):
        return self.tenant_url("meetings:detail", meeting_pk=self.object.meeting_id)


class NoticePrintView(TenantViewMixin, TemplateView):
    """The notice of a meeting on paper, for someone invited who has no email address."""

    permission_required = "manage_meetings"
    template_name = "meetings/notice_print.html"
    http_method_names = ["get", "head", "options"]

    def lookup(self, invitee_pk, **kwargs):
        return get_object_or_404(
            Invitee.objects.select_related(
                "meeting__partnership", "meeting__venue_school", "meeting__chair", "user", "person", "school"
            ),
            pk=invitee_pk,
            removed_at__isnull=True,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invitee = self.lookup(**kwargs)
        meeting = invitee.meeting
        context.update(
            invitee=invitee,
            meeting=meeting,
            when=when_label(meeting),
            meeting_url=self.request.build_absolute_uri(self.tenant_url("meetings:detail", meeting_pk=meeting.pk)),
            printed_on=timezone.localdate(),
        )
        return context
