from django.urls import path  # noqa: F401

app_name = "schools"

# Mounted under /p/<slug:partnership_slug>/members/ by config/urls.py: the member schools directory,
# school pages, the register import, census figures and the people of each school.
urlpatterns: list = []
