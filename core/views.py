"""Base views every tenant page builds on: TenantViewMixin, ServiceFormView for form pages and
TableExportView for a list's CSV and XLSX downloads.

The tenant middleware (partnerships.tenancy) has already admitted the user to the partnership named in
the URL and put what they may do there on `request.tenant`; these classes only read it, so core knows
nothing of partnerships.
"""

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView

from core.exports import Table, table_download
from core.forms import apply_service_errors

# The largest id a database integer column holds: a URL naming a larger one names no row.
MAX_ROW_ID = 2_147_483_647


def row_id(value: int) -> int:
    """An id taken from the URL, or 404 when it is beyond any row (PostgreSQL would refuse to compare it)."""
    if value > MAX_ROW_ID:
        raise Http404
    return value


class TenantViewMixin:
    """For views under /p/<slug>/: checks one permission of the signed-in user in this partnership.

    A user with a role but without the permission gets 403: they know the partnership exists.
    A view about one object names it in `lookup(**kwargs)` (404 when it is not this partnership's);
    a method the view does not answer is then refused only after that look-up, so a 405 never
    confirms that an id exists in another partnership.
    """

    permission_required: str = "view_partnership"

    def dispatch(self, request, *args, **kwargs):
        self.partnership = getattr(request, "partnership", None)
        if self.partnership is None:  # URL wired outside /p/<slug>/ by mistake: fail closed
            raise Http404
        if not request.tenant.has(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def lookup(self, **kwargs):
        """The object the URL names, through the partnership's scoped queryset; None for list pages."""
        return None

    def http_method_not_allowed(self, request, *args, **kwargs):
        self.lookup(**kwargs)
        return super().http_method_not_allowed(request, *args, **kwargs)

    def tenant_url(self, name: str, anchor: str = "", **kwargs) -> str:
        """reverse() of a URL under this partnership's /p/<slug>/, with an optional #anchor."""
        url = reverse(name, kwargs={"partnership_slug": self.partnership.slug, **kwargs})
        return f"{url}#{anchor}" if anchor else url


class TableExportView(TenantViewMixin, View):
    """A list page's download as CSV or XLSX (the URL's `fmt`), under the page's own permission.

    A subclass builds the list with `export_table(**kwargs)` from the same selector and query-string
    filters as the page, so the file holds exactly the rows the reader may see there (every page of
    them), and names it with `export_filename()`. A GET only reads.
    """

    http_method_names = ["get", "head", "options"]

    def export_table(self, **kwargs) -> Table:
        raise NotImplementedError

    def export_filename(self) -> str:
        raise NotImplementedError

    def get(self, request, *args, fmt, **kwargs):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        return table_download(self.export_table(**kwargs), fmt=fmt, filename=self.export_filename())


class BaseServiceFormView(FormView):
    """A form page whose POST calls one service: the one shape of every form view.

    A subclass names `form_class` and `template_name` and implements `perform(form)`, which calls ONE
    service with `form.cleaned_data` and returns what it made or changed. The base does the rest:

    - GET renders the form (200) and never writes;
    - an invalid form is rendered again with its errors, status 400;
    - a `ValidationError` from the service is put next to the fields it names (a plain one goes to
      the top of the form, in the error summary), status 400; the service ran in a transaction that
      is rolled back, so nothing is written;
    - on success, `get_success_message(result)` (by default `success_message`, formatted with the
      form's cleaned data; the bound form is `self.form`) is shown and the browser goes to
      `get_success_url(result)` (302; to a form sent by htmx, 200 with `HX-Redirect`).

    A form page's template may send the form through htmx (hx-post, hx-select and hx-target on
    the page's <main>): its 400 answer is then swapped in place (templates/base.html lets htmx swap
    400 and 422), and success still loads the next page in full.

    Hooks: `success_response(result)` answers a success (a page that records in place through
    htmx returns a fragment there); `lookup(**kwargs)` finds the object the URL names (as
    `self.object`, and in the template context under `context_object_name`) before any handler runs;
    `get_form_kwargs()` adds what the form's constructor needs; `get_initial()` prefills a GET;
    `get_context_data()` adds to the page;
    `add_service_errors(form, error)` maps a service's errors onto an unusual form.
    """

    # No PUT: FormView would treat it as a POST; these pages answer GET and POST only (else 405).
    http_method_names = ["get", "post", "head", "options"]
    success_message = ""
    context_object_name: str | None = None
    object = None

    def lookup(self, **kwargs):
        """The object the URL names, through a scoped queryset (404 otherwise); None if there is none."""
        return None

    def get(self, request, *args, **kwargs):
        self.object = self.lookup(**kwargs)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.lookup(**kwargs)
        self.form = form = self.get_form()
        if not form.is_valid():
            return self.form_invalid(form)
        try:
            with transaction.atomic():
                result = self.perform(form)
        except ValidationError as error:
            self.add_service_errors(form, error)
            return self.form_invalid(form)
        return self.success_response(result)

    def success_response(self, result):
        """After success: the banner, then the next page. A page that updates in place (htmx) may
        answer its own requests with a fragment instead."""
        message = self.get_success_message(result)
        if message:
            messages.success(self.request, message)
        url = self.get_success_url(result)
        if self.request.headers.get("HX-Request") == "true":
            # A form sent by htmx: the browser itself goes to the next page (htmx follows HX-Redirect
            # with a real navigation), so its address, title and menu are that page's own.
            return HttpResponse(headers={"HX-Redirect": url})
        return HttpResponseRedirect(url)

    def perform(self, form):
        """Call one service with the form's cleaned data; return what it made or changed."""
        raise NotImplementedError(f"{type(self).__name__} must implement perform(form)")

    def add_service_errors(self, form, error: ValidationError) -> None:
        apply_service_errors(form, error)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_form_kwargs(self):
        """The submitted data on POST, `get_initial()` on GET (only when it has something, so a form
        that fills its own initial values keeps doing so; and a POST never runs its queries)."""
        kwargs = {}
        if self.request.method == "POST":
            kwargs.update(data=self.request.POST, files=self.request.FILES)
        elif initial := self.get_initial():
            kwargs["initial"] = initial
        if prefix := self.get_prefix():
            kwargs["prefix"] = prefix
        return kwargs

    def get_context_data(self, **kwargs):
        if self.context_object_name and self.context_object_name not in kwargs:
            kwargs[self.context_object_name] = self.object
        return super().get_context_data(**kwargs)

    def get_success_message(self, result) -> str:
        """The banner after success; `success_message` may name the form's fields: "{name} saved"."""
        return self.success_message.format(**self.form.cleaned_data) if self.success_message else ""

    def get_success_url(self, result) -> str:
        if not self.success_url:
            raise ImproperlyConfigured(f"{type(self).__name__} needs success_url or get_success_url(result)")
        return str(self.success_url)


class ServiceFormView(TenantViewMixin, BaseServiceFormView):
    """A service form page under /p/<slug>/: the permission check, then `BaseServiceFormView`.

    A look-up through `lookup(**kwargs)` runs after the permission check, so a user without the
    permission gets 403 and an object of another partnership is 404, whatever the method.
    """
