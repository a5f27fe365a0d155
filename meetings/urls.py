from django.urls import path

from meetings.views import agenda, meetings, minutes

app_name = "meetings"

# Mounted under /p/<slug:partnership_slug>/meetings/ (partnerships/urls/__init__.py).
urlpatterns = [
    path("", meetings.MeetingListView.as_view(), name="list"),
    path("export.<str:fmt>", meetings.MeetingListExportView.as_view(), name="list_export"),
    path("new/", meetings.MeetingScheduleView.as_view(), name="schedule"),
    path("calendar/", meetings.CalendarView.as_view(), name="calendar"),
    path("calendar/link/", meetings.CalendarLinkCreateView.as_view(), name="calendar_link"),
    path("calendar/link/stop/", meetings.CalendarLinkStopView.as_view(), name="calendar_stop"),
    path("calendar.ics", meetings.PartnershipCalendarView.as_view(), name="partnership_ics"),
    path("calendar/<str:token>.ics", meetings.FeedView.as_view(), name="feed"),
    path("answer/<str:answer_token>/", meetings.AnswerByLinkView.as_view(), name="answer_link"),
    path("<int:meeting_pk>/", meetings.MeetingDetailView.as_view(), name="detail"),
    path("<int:meeting_pk>/change/", meetings.MeetingChangeView.as_view(), name="change"),
    path("<int:meeting_pk>/cancel/", meetings.MeetingCancelView.as_view(), name="cancel"),
    path("<int:meeting_pk>/attendance/", meetings.AttendanceView.as_view(), name="attendance"),
    path(
        "<int:meeting_pk>/attendance/export.<str:fmt>",
        meetings.AttendanceExportView.as_view(),
        name="attendance_export",
    ),
    path("<int:meeting_pk>/answer/", meetings.MeetingAnswerView.as_view(), name="answer"),
    path("<int:meeting_pk>/invite/", meetings.InviteeAddView.as_view(), name="invitee_add"),
    path("<int:meeting_pk>/agenda/", agenda.AgendaView.as_view(), name="agenda"),
    path("<int:meeting_pk>/agenda/add/", agenda.AgendaItemAddView.as_view(), name="agenda_item_add"),
    path("<int:meeting_pk>/agenda/agree/", agenda.AgendaAgreeView.as_view(), name="agenda_agree"),
    path("<int:meeting_pk>/agenda/publish/", agenda.AgendaPublishView.as_view(), name="agenda_publish"),
    path("<int:meeting_pk>/agenda/deadline/", agenda.PapersDeadlineView.as_view(), name="papers_deadline"),
    path("<int:meeting_pk>/pack.pdf", agenda.AgendaPackView.as_view(), name="pack"),
    path("items/<int:item_pk>/change/", agenda.AgendaItemChangeView.as_view(), name="agenda_item_change"),
    path("items/<int:item_pk>/remove/", agenda.AgendaItemRemoveView.as_view(), name="agenda_item_remove"),
    path("items/<int:item_pk>/move/", agenda.AgendaItemMoveView.as_view(), name="agenda_item_move"),
    path("items/<int:item_pk>/papers/", agenda.ItemPapersView.as_view(), name="item_papers"),
    path("papers/<int:paper_pk>/", agenda.PaperDownloadView.as_view(), name="paper"),
    path("papers/<int:paper_pk>/remove/", agenda.PaperRemoveView.as_view(), name="paper_remove"),
    path("<int:meeting_pk>/minutes/", minutes.MinutesView.as_view(), name="minutes"),
    path("<int:meeting_pk>/minutes.pdf", minutes.MinutesPdfView.as_view(), name="minutes_pdf"),
    path("<int:meeting_pk>/minutes/write/", minutes.MinutesWriteView.as_view(), name="minutes_write"),
    path("<int:meeting_pk>/minutes/circulate/", minutes.MinutesCirculateView.as_view(), name="minutes_circulate"),
    path("<int:meeting_pk>/minutes/approve/", minutes.MinutesApproveView.as_view(), name="minutes_approve"),
    path("actions/", minutes.ActionListView.as_view(), name="actions"),
    path("actions/export.<str:fmt>", minutes.ActionsExportView.as_view(), name="actions_export"),
    path("actions/<int:action_pk>/done/", minutes.ActionDoneView.as_view(), name="action_done"),
    path("follow-up/<int:school_urn>/", minutes.FollowUpView.as_view(), name="follow_up"),
    path("invitees/<int:invitee_pk>/remove/", meetings.InviteeRemoveView.as_view(), name="invitee_remove"),
]

# Series, the month's calendar, and getting notices to everyone.
urlpatterns += [
    path("series/", meetings.SeriesScheduleView.as_view(), name="series"),
    path("month/<int:year>/<int:month>/", meetings.MeetingMonthView.as_view(), name="month"),
    path("invitees/<int:invitee_pk>/resend/", meetings.NoticeResendView.as_view(), name="notice_resend"),
    path("invitees/<int:invitee_pk>/notice/", meetings.NoticePrintView.as_view(), name="notice_print"),
]
