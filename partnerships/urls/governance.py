from django.urls import path

from partnerships.views import governance as views

app_name = "governance"

# Mounted under /p/<slug:partnership_slug>/governance/ (partnerships/urls/__init__.py).
urlpatterns = [
    path("", views.GovernanceView.as_view(), name="index"),
    path("offices/", views.OfficesView.as_view(), name="offices"),
    path("offices/elections.<str:fmt>", views.ElectionsExportView.as_view(), name="elections_export"),
    path("offices/record/", views.ElectionRecordView.as_view(), name="election_record"),
    path("strategy/", views.StrategyView.as_view(), name="strategy"),
    path("strategy/first/", views.RotaCreateView.as_view(), name="rota_create"),
    path("strategy/build/", views.RotaBuildView.as_view(), name="rota_build"),
    path("strategy/seats/<int:rota_seat_pk>/", views.SeatEditView.as_view(), name="seat_edit"),
    path("strategy/rotas/<int:rota_pk>/confirm/", views.RotaConfirmView.as_view(), name="rota_confirm"),
]
