"""Notes of visit. Who reads a note is subscriptions.selectors.may_read_visit, and only there: to anyone
else (the coordinator too, unless the note names the role) the note does not exist (404).

Every reading of a note is recorded, and a GET never writes; so the note's page (GET) shows only the
visit's date, school and adviser and a "Read the note" button, and the note itself is shown by the
answer to that button's POST, which records the reading (subscriptions.services.visits.visit_read)
and renders the note in place (200). A reader who reloads that answer posts again and is recorded again:
every showing of the text is a recorded reading."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from core.forms import Form
from core.views import ServiceFormView, TableExportView, TenantViewMixin, row_id
from subscriptions.forms import VisitForm, VisitNotesForm
from subscriptions.models import Visit, VisitView
from subscriptions.selectors import (
    advised_school_ids,
    is_school_head,
    may_read_visit,
    may_write_visit,
    visits_readable,
    visits_table,
)
from subscriptions.services.visits import visit_agenda_agree, visit_notes_write, visit_read, visit_record
from subscriptions.views.credits import AdvisedSchoolsMixin


class _VisitMixin:
    context_object_name = "visit"

    def visit(self, visit_pk) -> Visit:
        visit = get_object_or_404(
            Visit.objects.select_related("school", "adviser", "agenda_agreed_by", "partnership"), pk=row_id(visit_pk)
        )
        if not may_read_visit(self.request.tenant, visit):
            raise Http404("This note of visit is not shared with you")
        return visit

    def get_success_url(self, visit):
        return self.tenant_url("subscriptions:visit", visit_pk=visit.pk)


class VisitsView(TenantViewMixin, TemplateView):
    template_name = "subscriptions/visits.html"

    def get_context_data(self, **kwargs):
        tenant = self.request.tenant
        return super().get_context_data(**kwargs) | {
            "visits": visits_readable(tenant),
            "advises": bool(advised_school_ids(tenant)),
        }


class VisitsExportView(TableExportView):
    """The notes of visit the reader may read, as the page lists them, as CSV or XLSX."""

    def export_table(self, **kwargs):
        return visits_table(visits_readable(self.request.tenant))

    def export_filename(self):
        return f"{self.partnership.slug}-notes-of-visit"


class VisitNewView(AdvisedSchoolsMixin, ServiceFormView):
    template_name = "subscriptions/visit_form.html"
    form_class = VisitForm

    def perform(self, form):
        return visit_record(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)

    def get_success_message(self, visit):
        return f"Visit to {visit.school.name} on {visit.on:%-d %B %Y} planned: its headteacher can now agree the agenda"

    def get_success_url(self, visit):
        return self.tenant_url("subscriptions:visit", visit_pk=visit.pk)


class VisitDetailView(_VisitMixin, ServiceFormView):
    """GET: the visit and a button; POST: the note itself, its reading recorded (see the module)."""

    template_name = "subscriptions/visit.html"
    form_class = Form  # nothing to fill in: the button asks to read

    def lookup(self, **kwargs):
        return self.visit(kwargs["visit_pk"])

    def get_context_data(self, **kwargs):
        tenant = self.request.tenant
        return super().get_context_data(**kwargs) | {
            "is_head": is_school_head(tenant, self.object.school_id),
            "writes": may_write_visit(tenant, self.object),
        }

    def perform(self, form):
        return visit_read(actor=self.request.user, visit=self.object)

    def success_response(self, result):
        readings = list(VisitView.objects.filter(visit=self.object).select_related("user").order_by("-at", "-pk"))
        return self.render_to_response(self.get_context_data(reading=True, readings=readings))


class VisitAgendaView(_VisitMixin, ServiceFormView):
    template_name = "subscriptions/visit_agenda.html"
    form_class = Form

    def lookup(self, **kwargs):
        visit = self.visit(kwargs["visit_pk"])
        if not is_school_head(self.request.tenant, visit.school_id):
            raise PermissionDenied("Only the school's headteacher agrees the agenda")
        return visit

    def perform(self, form):
        return visit_agenda_agree(actor=self.request.user, visit=self.object)

    def get_success_message(self, visit):
        return f"Agenda agreed for the visit on {visit.on:%-d %B %Y}"


class VisitNotesView(_VisitMixin, ServiceFormView):
    template_name = "subscriptions/visit_notes.html"
    form_class = VisitNotesForm

    def lookup(self, **kwargs):
        visit = self.visit(kwargs["visit_pk"])
        if not may_write_visit(self.request.tenant, visit):
            raise PermissionDenied("Only the adviser who made the visit writes its note")
        return visit

    def get_initial(self):
        v = self.object
        return {
            "agenda": v.agenda,
            "seen": v.seen,
            "evidence": v.evidence,
            "judgements": v.judgements,
            "next_steps": v.next_steps,
            "shared_with": v.shared_with,
        }

    def perform(self, form):
        return visit_notes_write(actor=self.request.user, visit=self.object, **form.cleaned_data)

    def get_success_message(self, visit):
        return f"Note of the visit to {visit.school.name} saved"
