"""The event pages: the partnership's events, an event with its places left and who is booked (a school
sees its own places, the coordinator everyone's), the coordinator setting one up, a headteacher booking
places with the cost shown before confirming (or joining the waiting list when it is full), cancelling,
and the coordinator taking attendance on the day. Who may do what is SubscriptionAccess."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django.views.generic import TemplateView

from core.forms import Form
from core.views import ServiceFormView, TableExportView, TenantViewMixin, row_id
from partnerships.models import Membership
from schools.models import School
from subscriptions.forms import AttendanceForm, AttendeesForm, EventCancelForm, EventChangeForm, EventForm, PlacesForm
from subscriptions.models import Event, EventAttendee, EventPlaces, TariffItem
from subscriptions.selectors import credit_balance, event_bookings_table, events_table, places_allowance
from subscriptions.services.attendance import attendance_record, attendees_name
from subscriptions.services.events import event_cancel, event_change, event_create
from subscriptions.services.places import (
    places_book,
    places_check,
    places_cost,
    places_invoice,
    places_offer_accept,
    places_offer_decline,
    places_taken,
    refund_due,
    taken_filter,
)
from subscriptions.services.places import places_cancel as cancel_places
from subscriptions.views.credits import MANAGE, AccessMixin

P = EventPlaces.Status


def _events(partnership):
    return (
        Event.objects.filter(partnership=partnership)
        .select_related("item")
        .annotate(taken=Sum("places__places", filter=taken_filter("places__"), default=0))
        .order_by("starts", "pk")
    )


class _EventMixin(AccessMixin):
    def event(self, event_pk) -> Event:
        return get_object_or_404(_events(self.partnership), pk=row_id(event_pk))

    def booker_school_ids(self) -> set[int]:
        return {pk for pk in self.access.school_ids if self.access.books_for(pk)}

    def bookings(self, event) -> list[EventPlaces]:
        """The event's places booked or waiting, with their register: everyone's to those who manage
        events, else only the reader's own schools'."""
        rows = (
            EventPlaces.objects.filter(event=event, status__in=(P.BOOKED, P.WAITING, P.OFFERED))
            .select_related("school", "booked_by")
            .prefetch_related("register")
        )
        if not self.access.manages:
            rows = rows.filter(school_id__in=self.access.school_ids)
        return list(rows.order_by("booked_at", "pk"))


class EventsView(AccessMixin, TenantViewMixin, TemplateView):
    template_name = "subscriptions/events.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        events = list(_events(self.partnership))
        for event in events:
            event.left = max(event.capacity - event.taken, 0)
        return super().get_context_data(**kwargs) | {
            "upcoming": [e for e in events if e.day >= today],
            "past": [e for e in reversed(events) if e.day < today],
        }


class EventsExportView(AccessMixin, TableExportView):
    """The events list, coming up and past, as CSV or XLSX."""

    def export_table(self, **kwargs):
        return events_table(_events(self.partnership))

    def export_filename(self):
        return f"{self.partnership.slug}-events"


class EventView(_EventMixin, TenantViewMixin, TemplateView):
    template_name = "subscriptions/event.html"

    def lookup(self, **kwargs):
        return self.event(kwargs["event_pk"])

    def get_context_data(self, **kwargs):
        event = self.lookup(**kwargs)
        rows = self.bookings(event)
        today = timezone.localdate()
        own = sorted(self.access.school_ids) if not self.access.manages else []
        allowance = places_allowance(event, School(pk=own[0])) if len(own) == 1 else event.places_per_school
        for row in rows:
            row.may_cancel = self.access.manages or (row.school_id and self.access.books_for(row.school_id))
            row.may_answer = row.may_cancel and row.held and event.status == Event.Status.OPEN
        return super().get_context_data(**kwargs) | {
            "event": event,
            "today": today,
            "allowance": allowance,
            "left": max(event.capacity - event.taken, 0),
            "booked": [r for r in rows if r.status == P.BOOKED],
            "waiting": [r for r in rows if r.status in (P.WAITING, P.OFFERED)],
            "offers": [r for r in rows if r.may_answer],
            "may_book": event.status == Event.Status.OPEN
            and event.day >= today
            and (self.access.manages or bool(self.booker_school_ids())),
            "takes_attendance": self.access.manages and event.day <= today and event.status == Event.Status.OPEN,
            "may_change": self.access.manages and event.day >= today and event.status == Event.Status.OPEN,
        }


class EventBookingsExportView(_EventMixin, TableExportView):
    """An event's bookings and register as its page shows them to the reader, as CSV or XLSX: the
    booked places first, then the waiting list."""

    def lookup(self, **kwargs):
        return self.event(kwargs["event_pk"])

    def export_table(self, **kwargs):
        self.object = event = self.lookup(**kwargs)
        rows = self.bookings(event)
        booked = [row for row in rows if row.status == P.BOOKED]
        return event_bookings_table(event, booked + [row for row in rows if row.status != P.BOOKED])

    def export_filename(self):
        return f"{self.partnership.slug}-{slugify(self.object.title) or 'event'}-bookings"


class EventCreateView(ServiceFormView):
    permission_required = MANAGE
    template_name = "subscriptions/event_form.html"
    form_class = EventForm
    success_message = "{title} set up"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"partnership": self.partnership}

    def perform(self, form):
        return event_create(actor=self.request.user, partnership=self.partnership, **form.service_data())

    def get_success_url(self, event):
        return self.tenant_url("subscriptions:event", event_pk=event.pk)


class _OpenEventMixin(_EventMixin):
    """The coordinator's changes to an event still to come, and not cancelled."""

    permission_required = MANAGE
    context_object_name = "event"

    def lookup(self, **kwargs):
        event = self.event(kwargs["event_pk"])
        if event.status != Event.Status.OPEN or event.day < timezone.localdate():
            raise Http404("Only an event still to come can be changed or cancelled")
        return event

    def get_success_url(self, event):
        return self.tenant_url("subscriptions:event", event_pk=event.pk)


class EventChangeView(_OpenEventMixin, ServiceFormView):
    template_name = "subscriptions/event_change.html"
    form_class = EventChangeForm

    def get_success_message(self, event):
        return f"{event.title} changed"

    def get_initial(self):
        starts = timezone.localtime(self.object.starts)
        event = self.object
        return {"day": starts.date(), "start_time": f"{starts:%H:%M}", "capacity": event.capacity, "venue": event.venue}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"taken": places_taken(self.object)}

    def perform(self, form):
        return event_change(actor=self.request.user, event=self.object, **form.service_data())


class EventCancelView(_OpenEventMixin, ServiceFormView):
    template_name = "subscriptions/event_call_off.html"
    form_class = EventCancelForm

    def get_success_message(self, event):
        return f"{event.title} cancelled: everyone with places or on the waiting list has been told"

    def perform(self, form):
        return event_cancel(actor=self.request.user, event=self.object, reason=form.cleaned_data["reason"])


class PlacesBookView(_EventMixin, ServiceFormView):
    """Book places. The first POST shows what they cost (or that the event is full, offering the
    waiting list) and writes nothing; confirming books them."""

    template_name = "subscriptions/event_book.html"
    form_class = PlacesForm
    context_object_name = "event"

    def lookup(self, **kwargs):
        event = self.event(kwargs["event_pk"])
        if not (self.access.manages or self.booker_school_ids()):
            raise PermissionDenied
        return event

    def schools(self):
        if self.access.manages:
            members = Membership.objects.filter(partnership=self.partnership).current().values("school_id")
            return School.objects.filter(pk__in=members).order_by("name")
        return School.objects.filter(pk__in=self.booker_school_ids()).order_by("name")

    def get_form_kwargs(self):
        organisations = self.access.manages and self.object.item.kind == TariffItem.Kind.OPEN_EVENT
        return super().get_form_kwargs() | {"school_choices": self.schools(), "organisations": organisations}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"left": max(self.object.capacity - self.object.taken, 0)}

    def post(self, request, *args, **kwargs):
        self.object = self.lookup(**kwargs)
        form = self.get_form()
        if form.is_valid() and not form.cleaned_data.get("confirm"):
            data = form.cleaned_data
            try:
                quote = places_check(
                    event=self.object,
                    school=data["school"],
                    organisation=data.get("organisation", ""),
                    places=data["places"],
                    waiting=True,
                )
            except ValidationError as error:
                self.add_service_errors(form, error)
                return self.form_invalid(form)
            left = self.object.capacity - places_taken(self.object)
            balance = credit_balance(quote.subscription) if quote.subscription else None
            context = self.get_context_data(
                form=form, checking=True, quote=quote, full=data["places"] > left, left=max(left, 0), balance=balance
            )
            if balance is not None:
                context["balance_after"] = balance - quote.credits
            return self.render_to_response(context)
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        return places_book(
            actor=self.request.user,
            event=self.object,
            school=data["school"],
            organisation=data.get("organisation", ""),
            places=data["places"],
            attendees=data["attendees"],
            waiting=data["waiting"],
        )

    def get_success_message(self, row):
        if row.status == P.WAITING:
            return f"{row.who} is on the waiting list for {self.object.title}"
        cost = f"{row.credits.normalize():f} credits" if self.object.for_credits else f"£{row.amount}"
        return f"{row.places} place{'' if row.places == 1 else 's'} booked for {row.who}: {cost}"

    def get_success_url(self, row):
        return self.tenant_url("subscriptions:event", event_pk=self.object.pk)


class _SchoolPlacesMixin(AccessMixin):
    """A school's places, for its own bookers and the coordinator; a 404 to anyone else."""

    form_class = Form  # nothing to fill in: the button confirms
    context_object_name = "row"

    def lookup(self, **kwargs):
        row = get_object_or_404(
            EventPlaces.objects.select_related("event__item", "school", "subscription__plan"),
            pk=row_id(kwargs["places_pk"]),
        )
        if not (self.access.manages or (row.school_id and self.access.sees_school(row.school_id))):
            raise Http404("These places are not shared with you")
        if not (self.access.manages or self.access.books_for(row.school_id)):
            raise PermissionDenied
        return row

    def get_success_url(self, row):
        return self.tenant_url("subscriptions:event", event_pk=row.event_id)


class PlacesCancelView(_SchoolPlacesMixin, ServiceFormView):
    template_name = "subscriptions/event_cancel.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"refund_due": refund_due(self.object)}

    def perform(self, form):
        return cancel_places(actor=self.request.user, places=self.object)

    def get_success_message(self, row):
        return f"{row.who}'s places at {row.event.title} cancelled"


class PlacesOfferView(_SchoolPlacesMixin, ServiceFormView):
    """The school offered freed places accepts them (booked and charged as any booking) or declines."""

    template_name = "subscriptions/event_offer.html"
    accept = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs) | {"accept": self.accept}
        row = self.object
        if self.accept and row.held:
            try:
                context["quote"] = places_cost(event=row.event, school=row.school, places=row.places)
            except ValidationError as error:
                context["problem"] = " ".join(error.messages)
        return context

    def perform(self, form):
        service = places_offer_accept if self.accept else places_offer_decline
        return service(actor=self.request.user, places=self.object)

    def get_success_message(self, row):
        if self.accept:
            return f"{row.places} place{'' if row.places == 1 else 's'} booked for {row.who} at {row.event.title}"
        return f"{row.who} has declined the places offered at {row.event.title}"


class AttendeesView(_SchoolPlacesMixin, ServiceFormView):
    """A school names who will use each of its places, until the day."""

    template_name = "subscriptions/event_names.html"
    form_class = AttendeesForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"named_places": len(self.register)}

    def lookup(self, **kwargs):
        row = super().lookup(**kwargs)
        self.register = list(EventAttendee.objects.filter(places=row).order_by("position"))
        return row

    def get_initial(self):
        return {f"name_{seat.position}": seat.name for seat in self.register}

    def perform(self, form):
        return attendees_name(actor=self.request.user, places=self.object, names=form.service_data())

    def get_success_message(self, row):
        return f"Who is coming to {row.event.title} from {row.who} saved"


class AttendanceView(_EventMixin, ServiceFormView):
    permission_required = MANAGE
    template_name = "subscriptions/event_attendance.html"
    form_class = AttendanceForm
    context_object_name = "event"

    def lookup(self, **kwargs):
        return self.event(kwargs["event_pk"])

    def get_form_kwargs(self):
        register = list(
            EventAttendee.objects.filter(places__event=self.object, places__status=P.BOOKED)
            .select_related("places__school")
            .order_by("places__booked_at", "places__pk", "position")
        )
        return super().get_form_kwargs() | {"register": register}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, groups = context["form"], {}
        for seat in form.register:  # the register by school, in booking order
            groups.setdefault(seat.places_id, (seat.places.who, []))[1].append(form[f"came_{seat.pk}"])
        return context | {"groups": list(groups.values())}

    def perform(self, form):
        return attendance_record(actor=self.request.user, event=self.object, came=form.service_data())

    def get_success_message(self, event):
        return f"The register of {event.title} saved"

    def get_success_url(self, event):
        return self.tenant_url("subscriptions:event", event_pk=event.pk)


class PlacesInvoiceView(AccessMixin, ServiceFormView):
    """The coordinator invoices an open event's places: recorded as event income in the ledger."""

    permission_required = MANAGE
    template_name = "subscriptions/event_invoice.html"
    form_class = Form  # nothing to fill in: the button confirms
    context_object_name = "row"

    def lookup(self, **kwargs):
        return get_object_or_404(
            EventPlaces.objects.select_related("event__item", "school"), pk=row_id(kwargs["places_pk"])
        )

    def perform(self, form):
        return places_invoice(actor=self.request.user, places=self.object)

    def get_success_message(self, row):
        return f"£{row.amount} invoiced to {row.who}, recorded as event income"

    def get_success_url(self, row):
        return self.tenant_url("subscriptions:event", event_pk=row.event_id)
