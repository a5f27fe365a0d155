from django.urls import path

from subscriptions.views import credits as views
from subscriptions.views import pep

app_name = "subscriptions"

# Mounted under /p/<slug:partnership_slug>/subscriptions/ (config/urls.py).
urlpatterns = [
    path("", views.SubscriptionsView.as_view(), name="index"),
    path("export.<str:fmt>", views.SubscriptionsExportView.as_view(), name="index_export"),
    path("tariff/", views.TariffView.as_view(), name="tariff"),
    path("tariff/export.<str:fmt>", views.TariffExportView.as_view(), name="tariff_export"),
    path("tariff/new/", views.TariffItemView.as_view(), name="tariff_new"),
    path("tariff/<int:tariff_item_pk>/", views.TariffItemView.as_view(), name="tariff_item"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan_new"),
    path("plans/<int:subscription_plan_pk>/forums/", views.PlanForumsView.as_view(), name="plan_forums"),
    path("subscribe/", views.SubscribeView.as_view(), name="subscribe"),
    path("<int:subscription_pk>/", views.StatementView.as_view(), name="statement"),
    path("<int:subscription_pk>/statement.pdf", views.StatementPdfView.as_view(), name="statement_pdf"),
    path("<int:subscription_pk>/export.<str:fmt>", views.StatementExportView.as_view(), name="statement_export"),
    path("<int:subscription_pk>/book/", views.BookView.as_view(), name="book"),
    path("schools/<int:school_pk>/bookers/", views.BookersView.as_view(), name="bookers"),
    path("schools/<int:school_pk>/bookers/export.<str:fmt>", views.BookersExportView.as_view(), name="bookers_export"),
    path("bookers/<int:delegation_pk>/withdraw/", views.BookerWithdrawView.as_view(), name="booker_withdraw"),
    path("bookings/<int:booking_pk>/cancel/", views.BookingCancelView.as_view(), name="cancel"),
    path("bookings/<int:booking_pk>/time/", views.ActualsView.as_view(), name="actuals"),
    path("pep/", pep.PepPlansView.as_view(), name="pep_plans"),
    path("pep/export.<str:fmt>", pep.PepPlansExportView.as_view(), name="pep_plans_export"),
    path("pep/new/", pep.PepPlanCreateView.as_view(), name="pep_new"),
    path("pep/<int:plan_pk>/", pep.PepPlanView.as_view(), name="pep_plan"),
    path("pep/<int:plan_pk>/cpd/", pep.CpdRecordView.as_view(), name="pep_cpd"),
    path("pep/<int:plan_pk>/support/", pep.SupportDayView.as_view(), name="pep_support"),
    path("pep/<int:plan_pk>/panel/", pep.PanelMemberView.as_view(), name="pep_panel"),
    path("pep/<int:plan_pk>/outcomes/new/", pep.OutcomeAddView.as_view(), name="pep_outcome"),
    path("pep/<int:plan_pk>/review/", pep.AnnualReviewView.as_view(), name="pep_review"),
    path("pep/milestones/<int:pep_milestone_pk>/met/", pep.MilestoneMetView.as_view(), name="pep_milestone"),
]

# Events with places (subscriptions/views/events.py).
from subscriptions.views import events  # noqa: E402

urlpatterns += [
    path("events/", events.EventsView.as_view(), name="events"),
    path("events/export.<str:fmt>", events.EventsExportView.as_view(), name="events_export"),
    path("events/new/", events.EventCreateView.as_view(), name="event_new"),
    path("events/<int:event_pk>/", events.EventView.as_view(), name="event"),
    path("events/<int:event_pk>/export.<str:fmt>", events.EventBookingsExportView.as_view(), name="event_export"),
    path("events/<int:event_pk>/book/", events.PlacesBookView.as_view(), name="event_book"),
    path("events/<int:event_pk>/change/", events.EventChangeView.as_view(), name="event_change"),
    path("events/<int:event_pk>/cancel/", events.EventCancelView.as_view(), name="event_call_off"),
    path("events/<int:event_pk>/attendance/", events.AttendanceView.as_view(), name="event_attendance"),
    path("events/places/<int:places_pk>/cancel/", events.PlacesCancelView.as_view(), name="event_cancel"),
    path("events/places/<int:places_pk>/invoice/", events.PlacesInvoiceView.as_view(), name="event_invoice"),
    path("events/places/<int:places_pk>/names/", events.AttendeesView.as_view(), name="event_names"),
    path("events/places/<int:places_pk>/accept/", events.PlacesOfferView.as_view(), name="event_offer_accept"),
    path(
        "events/places/<int:places_pk>/decline/",
        events.PlacesOfferView.as_view(accept=False),
        name="event_offer_decline",
    ),
]

from subscriptions.views import reviews, visits  # noqa: E402

urlpatterns += [
    path("visits/", visits.VisitsView.as_view(), name="visits"),
    path("visits/export.<str:fmt>", visits.VisitsExportView.as_view(), name="visits_export"),
    path("visits/new/", visits.VisitNewView.as_view(), name="visit_new"),
    path("visits/<int:visit_pk>/", visits.VisitDetailView.as_view(), name="visit"),
    path("visits/<int:visit_pk>/agenda/", visits.VisitAgendaView.as_view(), name="visit_agenda"),
    path("visits/<int:visit_pk>/note/", visits.VisitNotesView.as_view(), name="visit_notes"),
    path("reviews/", reviews.ReviewsView.as_view(), name="reviews"),
    path("reviews/export.<str:fmt>", reviews.ReviewsExportView.as_view(), name="reviews_export"),
    path("reviews/new/", reviews.ReviewNewView.as_view(), name="review_new"),
    path("reviews/<int:review_pk>/", reviews.ReviewView.as_view(), name="review"),
    path("reviews/<int:review_pk>/edit/", reviews.ReviewEditView.as_view(), name="review_edit"),
    path("reviews/<int:review_pk>/send/", reviews.ReviewSendView.as_view(), name="review_send"),
    path("reviews/<int:review_pk>/confirm/", reviews.ReviewConfirmView.as_view(), name="review_confirm"),
    path("reviews/<int:review_pk>/return/", reviews.ReviewReturnView.as_view(), name="review_return"),
    path("reviews/<int:review_pk>/submit/", reviews.ReviewSubmitView.as_view(), name="review_submit"),
]
