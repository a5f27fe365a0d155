from django.urls import path

from partnerships.views import interests as views

app_name = "interests"

# Mounted under /p/<slug:partnership_slug>/interests/ (partnerships/urls/__init__.py).
urlpatterns = [
    path("", views.MyDeclarationsView.as_view(), name="mine"),
    path("declare/", views.DeclareView.as_view(), name="declare"),
    path("register/", views.RegisterView.as_view(), name="register"),
    path("register/export.<str:fmt>", views.RegisterExportView.as_view(), name="register_export"),
    path("register/remind/", views.RemindView.as_view(), name="remind"),
]
