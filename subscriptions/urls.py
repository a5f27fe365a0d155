from django.urls import path

from subscriptions.views import credits as views

app_name = "subscriptions"

# Mounted under /p/<slug:partnership_slug>/subscriptions/ (config/urls.py).
urlpatterns = [
    path("", views.SubscriptionsView.as_view(), name="index"),
    path("tariff/", views.TariffView.as_view(), name="tariff"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan_new"),
    path("subscribe/", views.SubscribeView.as_view(), name="subscribe"),
    path("<int:subscription_pk>/", views.StatementView.as_view(), name="statement"),
    path("<int:subscription_pk>/book/", views.BookView.as_view(), name="book"),
    path("bookings/<int:booking_pk>/cancel/", views.BookingCancelView.as_view(), name="cancel"),
    path("bookings/<int:booking_pk>/time/", views.ActualsView.as_view(), name="actuals"),
]

from subscriptions.views import reviews, visits  # noqa: E402

urlpatterns += [
    path("visits/", visits.VisitsView.as_view(), name="visits"),
    path("visits/new/", visits.VisitNewView.as_view(), name="visit_new"),
    path("visits/<int:visit_pk>/", visits.VisitDetailView.as_view(), name="visit"),
    path("visits/<int:visit_pk>/agenda/", visits.VisitAgendaView.as_view(), name="visit_agenda"),
    path("visits/<int:visit_pk>/note/", visits.VisitNotesView.as_view(), name="visit_notes"),
    path("reviews/", reviews.ReviewsView.as_view(), name="reviews"),
    path("reviews/new/", reviews.ReviewNewView.as_view(), name="review_new"),
    path("reviews/<int:review_pk>/", reviews.ReviewView.as_view(), name="review"),
    path("reviews/<int:review_pk>/edit/", reviews.ReviewEditView.as_view(), name="review_edit"),
    path("reviews/<int:review_pk>/send/", reviews.ReviewSendView.as_view(), name="review_send"),
    path("reviews/<int:review_pk>/confirm/", reviews.ReviewConfirmView.as_view(), name="review_confirm"),
    path("reviews/<int:review_pk>/return/", reviews.ReviewReturnView.as_view(), name="review_return"),
    path("reviews/<int:review_pk>/submit/", reviews.ReviewSubmitView.as_view(), name="review_submit"),
]
