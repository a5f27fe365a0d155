"""The agenda and its papers: drafting, agreeing, publishing, uploading, downloading, the pack."""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django.views import View
from django.views.generic import TemplateView

from core.dates import date_label
from core.files import private_download
from core.views import TenantViewMixin
from meetings.forms import (
    AgendaItemForm,
    AgendaMoveForm,
    PaperForm,
    PapersDeadlineForm,
    agenda_item_initial,
)
from meetings.models import AgendaItem, Paper
from meetings.pack import agenda_pack, render_pdf
from meetings.selectors import agenda_for, meeting_access, minutes_of, open_actions_before, previous_meeting
from meetings.services.agenda import (
    agenda_agree,
    agenda_item_add,
    agenda_item_change,
    agenda_item_move,
    agenda_item_remove,
    agenda_publish,
    paper_read,
    paper_remove,
    paper_upload,
    papers_deadline_set,
)
from meetings.services.scheduling import (
    when_label,
)
from meetings.views.meetings import _meeting_or_404, _MeetingFormView
from meetings.views.minutes import minutes_pdf


def _item_or_404(item_pk) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.select_related(
            "meeting", "meeting__partnership", "meeting__chair", "meeting__note_taker", "presenter"
        ),
        pk=item_pk,
    )


class AgendaView(TenantViewMixin, TemplateView):
    """Drafting the agenda: the coordinator and the chair add, order and change items, the chair agrees
    it, the coordinator publishes it."""

    permission_required = "view_meetings"
    template_name = "meetings/agenda.html"

    def lookup(self, **kwargs):
        meeting = _meeting_or_404(kwargs["meeting_pk"])
        self.access = meeting_access(self.request.user, meeting)
        if not self.access.may_edit_agenda:
            raise PermissionDenied
        return meeting

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.lookup(**kwargs)
        context.update(
            meeting=meeting,
            items=agenda_for(meeting, self.access),
            access=self.access,
            when=when_label(meeting),
            deadline_form=PapersDeadlineForm(initial={"deadline": meeting.papers_deadline}),
            is_open=not meeting.is_cancelled and meeting.ends > timezone.now(),
        )
        return context


class _AgendaFormView(_MeetingFormView):
    """A change to a meeting's agenda, by those who draft it."""

    permission_required = "view_meetings"

    def lookup(self, meeting_pk, **kwargs):
        meeting = _meeting_or_404(meeting_pk)
        if not meeting_access(self.request.user, meeting).may_edit_agenda:
            raise PermissionDenied
        return meeting

    def get_success_url(self, result):
        return self.tenant_url("meetings:agenda", meeting_pk=self.object.pk)


class _ItemFormView(_AgendaFormView):
    context_object_name = "item"

    def lookup(self, item_pk, **kwargs):
        item = _item_or_404(item_pk)
        if not meeting_access(self.request.user, item.meeting).may_edit_agenda:
            raise PermissionDenied
        return item

    def get_success_url(self, result):
        return self.tenant_url("meetings:agenda", meeting_pk=self.object.meeting_id)


class AgendaItemAddView(_AgendaFormView):
    template_name = "meetings/agenda_item.html"
    form_class = AgendaItemForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"meeting": self.object}

    def perform(self, form):
        return agenda_item_add(actor=self.request.user, meeting=self.object, **form.cleaned_data)

    def get_success_message(self, item):
        return f"Item {item.position}, {item.title}, added to the agenda"


class AgendaItemChangeView(_ItemFormView):
    template_name = "meetings/agenda_item.html"
    form_class = AgendaItemForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs() | {"meeting": self.object.meeting}
        if self.request.method != "POST":
            kwargs["initial"] = agenda_item_initial(self.object)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"meeting": self.object.meeting}

    def perform(self, form):
        return agenda_item_change(actor=self.request.user, item=self.object, **form.cleaned_data)

    def get_success_message(self, item):
        return f"{item.title} saved"


class AgendaItemRemoveView(_ItemFormView):
    template_name = "meetings/agenda_item_remove.html"
    form_class = forms.Form

    def perform(self, form):
        return agenda_item_remove(actor=self.request.user, item=self.object)

    def get_success_message(self, meeting):
        return f"{self.object.title} taken off the agenda"


class AgendaItemMoveView(_ItemFormView):
    template_name = "meetings/agenda_item_move.html"
    form_class = AgendaMoveForm

    def perform(self, form):
        return agenda_item_move(actor=self.request.user, item=self.object, **form.cleaned_data)

    def get_success_message(self, item):
        return f"{item.title} is now item {item.position}"


class AgendaAgreeView(_AgendaFormView):
    template_name = "meetings/agenda_agree.html"
    form_class = forms.Form

    def perform(self, form):
        return agenda_agree(actor=self.request.user, meeting=self.object)

    def get_success_message(self, meeting):
        return "The agenda is agreed; the coordinator can now publish it with its papers"


class AgendaPublishView(_AgendaFormView):
    template_name = "meetings/agenda_publish.html"
    form_class = forms.Form

    def lookup(self, meeting_pk, **kwargs):
        meeting = _meeting_or_404(meeting_pk)
        if not meeting_access(self.request.user, meeting).may_publish:
            raise PermissionDenied
        return meeting

    def perform(self, form):
        return agenda_publish(actor=self.request.user, meeting=self.object)

    def get_success_message(self, meeting):
        return "The agenda and papers are published; everyone invited is told"


class PapersDeadlineView(_AgendaFormView):
    template_name = "meetings/agenda_deadline.html"
    form_class = PapersDeadlineForm

    def perform(self, form):
        return papers_deadline_set(actor=self.request.user, meeting=self.object, **form.cleaned_data)

    def get_success_message(self, meeting):
        if meeting.papers_deadline is None:
            return "The papers deadline is taken off"
        return f"Papers are due by {date_label(meeting.papers_deadline)}"


class ItemPapersView(_ItemFormView):
    """An item's papers, and the form that adds one: for the presenter, the chair and the coordinator."""

    template_name = "meetings/item_papers.html"
    form_class = PaperForm

    def lookup(self, item_pk, **kwargs):
        item = _item_or_404(item_pk)
        if not meeting_access(self.request.user, item.meeting).may_upload(item):
            raise PermissionDenied
        return item

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meeting"] = self.object.meeting
        context["papers"] = list(self.object.papers.select_related("uploaded_by"))
        context["max_mb"] = settings.PAPER_MAX_BYTES // (1024 * 1024)
        context["may_edit_agenda"] = meeting_access(self.request.user, self.object.meeting).may_edit_agenda
        return context

    def perform(self, form):
        return paper_upload(
            actor=self.request.user,
            item=self.object,
            upload=form.cleaned_data["file"],
            no_pupil_data=form.cleaned_data["no_pupil_data"],
        )

    def get_success_message(self, paper):
        return f"{paper.name} added to {self.object.title}"

    def get_success_url(self, paper):
        return self.tenant_url("meetings:item_papers", item_pk=self.object.pk)


def _paper_or_404(paper_pk, user) -> Paper:
    """A paper the person may open; 404 for anyone else, so a confidential paper's existence is not told."""
    paper = get_object_or_404(
        Paper.objects.select_related("item", "item__meeting", "item__meeting__partnership"), pk=paper_pk
    )
    if not meeting_access(user, paper.item.meeting).may_read(paper.item):
        raise Http404("No such paper")
    return paper


def _paper_file(paper: Paper) -> FileResponse:
    return private_download(paper.file.name, filename=paper.name, content_type=paper.content_type)


class PaperDownloadView(_MeetingFormView):
    """One paper, as an attachment with the type read from its content (never rendered in our origin).
    A confidential item's paper is opened with a button instead: the GET shows what it is, and the POST
    records the opening in the audit trail (a GET never writes) and returns the file."""

    permission_required = "view_meetings"
    template_name = "meetings/paper_confidential.html"
    form_class = forms.Form
    context_object_name = "paper"

    def lookup(self, paper_pk, **kwargs):
        return _paper_or_404(paper_pk, self.request.user)

    def get(self, request, *args, **kwargs):
        paper = self.lookup(**kwargs)
        if paper.item.confidential:
            return super().get(request, *args, **kwargs)
        return _paper_file(paper)

    def perform(self, form):
        return paper_read(actor=self.request.user, paper=self.object)

    def success_response(self, paper):
        return _paper_file(paper)


class PaperRemoveView(_MeetingFormView):
    permission_required = "view_meetings"
    template_name = "meetings/paper_remove.html"
    form_class = forms.Form
    context_object_name = "paper"

    def lookup(self, paper_pk, **kwargs):
        paper = _paper_or_404(paper_pk, self.request.user)
        if not meeting_access(self.request.user, paper.item.meeting).may_upload(paper.item):
            raise PermissionDenied
        return paper

    def perform(self, form):
        return paper_remove(actor=self.request.user, paper=self.object)

    def get_success_message(self, item):
        return f"{self.object.name} taken off {item.title}"

    def get_success_url(self, item):
        return self.tenant_url("meetings:item_papers", item_pk=item.pk)


class AgendaPackView(TenantViewMixin, View):
    """The agenda pack as the reader may see it: the items and papers they are entitled to."""

    permission_required = "view_meetings"
    http_method_names = ["get", "head", "options"]

    def lookup(self, meeting_pk, **kwargs):
        return _meeting_or_404(meeting_pk)

    def extras(self, meeting) -> list[tuple[str, bytes]]:
        """The last meeting's minutes, if this reader may read them as they stand, and the open actions."""
        extras = []
        previous = previous_meeting(meeting)
        if previous is not None:
            minutes = minutes_of(previous)
            access = meeting_access(self.request.user, previous)
            if minutes is not None and access.may_read_minutes(minutes.status):
                title = f"Minutes of {previous} ({minutes.get_status_display().lower()})"
                extras.append((title, minutes_pdf(previous, access, minutes)))
        actions = list(open_actions_before(meeting))
        if actions:
            context = {"meeting": meeting, "actions": actions, "today": timezone.localdate()}
            extras.append(("Open action points", render_pdf("meetings/pack/actions.html", context)))
        return extras

    def get(self, request, *args, **kwargs):
        meeting = self.lookup(**kwargs)
        access = meeting_access(request.user, meeting)
        items = agenda_for(meeting, access)
        if not items:
            raise Http404("This meeting has no agenda yet")
        pdf = agenda_pack(meeting, items, when=when_label(meeting), extras=self.extras(meeting))
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"{slugify(meeting.title)}-{timezone.localtime(meeting.starts):%Y-%m-%d}-agenda-pack.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response
