from django.urls import path

from meetings import views

app_name = "meetings"

# Mounted under /p/<slug:partnership_slug>/meetings/ (partnerships/urls/__init__.py).
urlpatterns = [
    path("", views.MeetingListView.as_view(), name="list"),
    path("new/", views.MeetingScheduleView.as_view(), name="schedule"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("calendar/link/", views.CalendarLinkCreateView.as_view(), name="calendar_link"),
    path("calendar/link/stop/", views.CalendarLinkStopView.as_view(), name="calendar_stop"),
    path("calendar.ics", views.PartnershipCalendarView.as_view(), name="partnership_ics"),
    path("calendar/<str:token>.ics", views.FeedView.as_view(), name="feed"),
    path("answer/<str:answer_token>/", views.AnswerByLinkView.as_view(), name="answer_link"),
    path("<int:meeting_pk>/", views.MeetingDetailView.as_view(), name="detail"),
    path("<int:meeting_pk>/change/", views.MeetingChangeView.as_view(), name="change"),
    path("<int:meeting_pk>/cancel/", views.MeetingCancelView.as_view(), name="cancel"),
    path("<int:meeting_pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("<int:meeting_pk>/answer/", views.MeetingAnswerView.as_view(), name="answer"),
    path("<int:meeting_pk>/invite/", views.InviteeAddView.as_view(), name="invitee_add"),
    path("<int:meeting_pk>/agenda/", views.AgendaView.as_view(), name="agenda"),
    path("<int:meeting_pk>/agenda/add/", views.AgendaItemAddView.as_view(), name="agenda_item_add"),
    path("<int:meeting_pk>/agenda/agree/", views.AgendaAgreeView.as_view(), name="agenda_agree"),
    path("<int:meeting_pk>/agenda/publish/", views.AgendaPublishView.as_view(), name="agenda_publish"),
    path("<int:meeting_pk>/agenda/deadline/", views.PapersDeadlineView.as_view(), name="papers_deadline"),
    path("<int:meeting_pk>/pack.pdf", views.AgendaPackView.as_view(), name="pack"),
    path("items/<int:item_pk>/change/", views.AgendaItemChangeView.as_view(), name="agenda_item_change"),
    path("items/<int:item_pk>/remove/", views.AgendaItemRemoveView.as_view(), name="agenda_item_remove"),
    path("items/<int:item_pk>/move/", views.AgendaItemMoveView.as_view(), name="agenda_item_move"),
    path("items/<int:item_pk>/papers/", views.ItemPapersView.as_view(), name="item_papers"),
    path("papers/<int:paper_pk>/", views.PaperDownloadView.as_view(), name="paper"),
    path("papers/<int:paper_pk>/remove/", views.PaperRemoveView.as_view(), name="paper_remove"),
    path("invitees/<int:invitee_pk>/remove/", views.InviteeRemoveView.as_view(), name="invitee_remove"),
]
