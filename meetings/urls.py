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
    path("invitees/<int:invitee_pk>/remove/", views.InviteeRemoveView.as_view(), name="invitee_remove"),
]
