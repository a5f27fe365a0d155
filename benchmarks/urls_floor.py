"""URLconf for the benchmark: the site's own URLs plus a "floor" page under /p/<slug>/.

The floor page is the cheapest possible tenant page. It goes through the same middleware
(sessions, authentication, idle timeout, TenantMiddleware), the same permission check
(TenantViewMixin) and the same context processors as the real pages, then renders a one-line
template from a string. Whatever a real page costs beyond the floor is its own work: its
queries, its template and the shared base layout. The layout page is the floor inside the site's
layout (base.html), with an empty page: what the layout alone adds.

Used only by benchmarks/dashboard_people.py through override_settings(ROOT_URLCONF=...).
"""

from django.http import HttpResponse
from django.template import RequestContext, Template
from django.urls import path
from django.views.generic import TemplateView

from config.urls import urlpatterns as site_urlpatterns
from core.views import TenantViewMixin

FLOOR_TEMPLATE = Template(
    "<!DOCTYPE html><title>{{ partnership.name }}</title><p>Signed in as {{ user.full_name }}</p>"
)


# What every real page pays on top of the floor: the site's layout (header, navigation, footer, assets)
# around an empty page.
LAYOUT_TEMPLATE = Template(
    '{% extends "base.html" %}{% block page_title %}Layout{% endblock %}'
    '{% block content %}<h1 class="govuk-heading-xl">{{ partnership.name }}</h1>{% endblock %}'
)


class FloorView(TenantViewMixin, TemplateView):
    """Admitted by TenantMiddleware, checks view_partnership, renders a trivial template."""

    def render_to_response(self, context, **response_kwargs):
        return HttpResponse(FLOOR_TEMPLATE.render(RequestContext(self.request, context)), **response_kwargs)


class LayoutView(FloorView):
    """The floor, rendered in the site's layout: the least a real page can cost."""

    def render_to_response(self, context, **response_kwargs):
        return HttpResponse(LAYOUT_TEMPLATE.render(RequestContext(self.request, context)), **response_kwargs)


urlpatterns = [
    path("p/<slug:partnership_slug>/floor/", FloorView.as_view(), name="benchmark_floor"),
    path("p/<slug:partnership_slug>/layout/", LayoutView.as_view(), name="benchmark_layout"),
    *site_urlpatterns,
]
