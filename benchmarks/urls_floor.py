"""URLconf for the benchmark: the site's own URLs plus a "floor" page under /p/<slug>/.

The floor page is the cheapest possible tenant page. It goes through the same middleware
(sessions, authentication, idle timeout, TenantMiddleware), the same permission check
(TenantViewMixin) and the same context processors as the real pages, then renders a one-line
template from a string. Whatever a real page costs beyond the floor is its own work: its
queries, its template and the shared base layout.

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


class FloorView(TenantViewMixin, TemplateView):
    """Admitted by TenantMiddleware, checks view_partnership, renders a trivial template."""

    def render_to_response(self, context, **response_kwargs):
        return HttpResponse(FLOOR_TEMPLATE.render(RequestContext(self.request, context)), **response_kwargs)


urlpatterns = [
    path("p/<slug:partnership_slug>/floor/", FloorView.as_view(), name="benchmark_floor"),
    *site_urlpatterns,
]
