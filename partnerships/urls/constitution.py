from django.urls import path

from partnerships.models.constitution import SECTIONS
from partnerships.views import constitution as views

app_name = "constitution"

# Mounted under /p/<slug:partnership_slug>/constitution/ (partnerships/urls/__init__.py).
# One form page per section of the constitution: constitution:change_meetings, change_offices, ...
urlpatterns = [
    path("", views.ConstitutionView.as_view(), name="detail"),
    path("terms/", views.TermsView.as_view(), name="terms"),
    path("terms/export.<str:fmt>", views.TermsExportView.as_view(), name="terms_export"),
    path("terms/change/", views.TermsChangeView.as_view(), name="terms_change"),
    *(
        path(f"{section}/change/", views.ConstitutionChangeView.as_view(section=section), name=f"change_{section}")
        for section in SECTIONS
    ),
]
