"""The subscription pages: this year's subscriptions and balances, the tariff, plans, a school's
credit statement, booking an adviser's time (with the cost shown before it is confirmed), cancelling,
and the adviser's record of the time it took. Who may do what is SubscriptionAccess, and only there.
A school's credits are its private records: to anyone else they do not exist (404)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.views import View
from django.views.generic import TemplateView

from accounts.models import User
from core.forms import Form
from core.views import ServiceFormView, TableExportView, TenantViewMixin, row_id
from meetings.pack import render_pdf
from partnerships.calendar import academic_year_label, academic_year_of
from partnerships.models import Membership, RoleAssignment
from partnerships.roles import Role
from schools.models import School
from subscriptions.forms import (
    ActualsForm,
    BookingForm,
    DelegationForm,
    PlanForm,
    PlanForumsForm,
    SubscribeForm,
    TariffItemForm,
)
from subscriptions.models import Booking, BookingDelegation, Plan, PlanForum, Subscription, TariffItem
from subscriptions.selectors import (
    advised_school_ids,
    advisers_work_links,
    bookers_table,
    credit_balance,
    credit_statement,
    delegations_of_school,
    is_school_head,
    statement_table,
    subscription_access,
    subscriptions_of_year,
    subscriptions_table,
    tariff_credits,
    tariff_table,
)
from subscriptions.services.bookings import (
    booking_actuals_record,
    booking_cancel,
    booking_create,
    booking_validate,
    refund_due,
)
from subscriptions.services.delegations import delegation_grant, delegation_withdraw
from subscriptions.services.plans import plan_create, plan_forums_set, subscription_start
from subscriptions.services.tariff import tariff_item_save

MANAGE = "manage_subscriptions"


class AccessMixin:
    @cached_property
    def access(self):
        return subscription_access(self.request.tenant)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"access": self.access}


class AdvisedSchoolsMixin:
    """A form page for an adviser about one of their schools: 403 to anyone who advises none, and the
    form's school choices are theirs."""

    def lookup(self, **kwargs):
        if not advised_school_ids(self.request.tenant):
            raise PermissionDenied
        return None

    def get_form_kwargs(self):
        schools = School.objects.filter(pk__in=advised_school_ids(self.request.tenant)).order_by("name")
        return super().get_form_kwargs() | {"school_choices": schools}


def _this_year() -> int:
    return academic_year_of(timezone.localdate())


class _SubscriptionsMixin(AccessMixin):
    def subscriptions(self, year: int) -> list[Subscription]:
        """The year's subscriptions of the schools the reader may see, with their balances."""
        return [s for s in subscriptions_of_year(self.partnership, year) if self.access.sees_school(s.school_id)]


class SubscriptionsView(_SubscriptionsMixin, TenantViewMixin, TemplateView):
    template_name = "subscriptions/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = _this_year()
        rows = self.subscriptions(year)
        context.update(year=year, year_label=academic_year_label(year), rows=rows)
        context.update(advisers_work_links(self.request.tenant))
        # A headteacher names who books for the school, whether or not it subscribes (open events).
        context["headed_schools"] = sorted(
            {r.school for r in self.request.tenant.roles if r.role == Role.HEADTEACHER and r.school_id},
            key=lambda school: school.name,
        )
        if self.access.manages:
            subscribed = {s.school_id for s in rows}
            members = Membership.objects.filter(partnership=self.partnership).current().select_related("school")
            context["others"] = sorted(
                (m.school for m in members if m.school_id not in subscribed), key=lambda school: school.name
            )
            context["plans"] = list(Plan.objects.filter(partnership=self.partnership).prefetch_related("forums"))
        return context


class SubscriptionsExportView(_SubscriptionsMixin, TableExportView):
    """This year's subscribing schools the reader may see, with their credits left, as CSV or XLSX."""

    def export_table(self, **kwargs):
        return subscriptions_table(self.subscriptions(_this_year()), _this_year())

    def export_filename(self):
        return f"{self.partnership.slug}-subscriptions-{academic_year_label(_this_year()).replace('/', '-')}"


class _TariffMixin(TenantViewMixin):
    def tariff_items(self) -> list[TariffItem]:
        """The tariff's lines: every one to those who manage subscriptions, else those offered."""
        items = TariffItem.objects.filter(partnership=self.partnership).order_by("kind", "name")
        return list(items if self.request.tenant.has(MANAGE) else items.filter(active=True))


class TariffView(_TariffMixin, TemplateView):
    template_name = "subscriptions/tariff.html"

    def get_context_data(self, **kwargs):
        manages = self.request.tenant.has(MANAGE)
        items = self.tariff_items()
        return super().get_context_data(**kwargs) | {"items": items, "Kind": TariffItem.Kind, "manages": manages}


class TariffExportView(_TariffMixin, TableExportView):
    """The tariff as its page lists it to the reader, as CSV or XLSX."""

    def export_table(self, **kwargs):
        return tariff_table(self.tariff_items())

    def export_filename(self):
        return f"{self.partnership.slug}-tariff"


class TariffItemView(ServiceFormView):
    """Add a line to the tariff, or change one (named in the URL)."""

    permission_required = MANAGE
    template_name = "subscriptions/tariff_item.html"
    form_class = TariffItemForm
    context_object_name = "item"

    def lookup(self, **kwargs):
        if "tariff_item_pk" not in kwargs:
            return None
        return get_object_or_404(TariffItem, pk=row_id(kwargs["tariff_item_pk"]))

    def get_initial(self):
        if self.object is None:
            return {}
        fields = TariffItemForm.base_fields
        return {name: getattr(self.object, name) for name in fields}

    def perform(self, form):
        return tariff_item_save(
            actor=self.request.user, partnership=self.partnership, item=self.object, **form.cleaned_data
        )

    def get_success_message(self, item):
        return f"{item.name} saved"

    def get_success_url(self, item):
        return self.tenant_url("subscriptions:tariff")


class PlanCreateView(ServiceFormView):
    permission_required = MANAGE
    template_name = "subscriptions/plan_form.html"
    form_class = PlanForm
    success_message = "Plan {name} set up"

    def perform(self, form):
        return plan_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)

    def get_success_url(self, plan):
        return self.tenant_url("subscriptions:index")


class PlanForumsView(ServiceFormView):
    """The forums a plan gives places at, and the places per school at each."""

    permission_required = MANAGE
    template_name = "subscriptions/plan_forums.html"
    form_class = PlanForumsForm
    context_object_name = "plan"

    def lookup(self, **kwargs):
        plan = get_object_or_404(Plan, pk=row_id(kwargs["subscription_plan_pk"]))
        self.forums = list(PlanForum.objects.filter(plan=plan).order_by("name"))
        return plan

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"forum_rows": len(self.forums)}

    def get_initial(self):
        initial = {}
        for n, forum in enumerate(self.forums, start=1):
            initial |= {f"forum_{n}": forum.name, f"places_{n}": forum.places_per_school}
        return initial

    def perform(self, form):
        return plan_forums_set(actor=self.request.user, plan=self.object, forums=form.service_data())

    def get_success_message(self, plan):
        return f"Places at forums in {plan.name} saved"

    def get_success_url(self, plan):
        return self.tenant_url("subscriptions:index")


class SubscribeView(ServiceFormView):
    permission_required = MANAGE
    template_name = "subscriptions/subscribe.html"
    form_class = SubscribeForm

    def get_form_kwargs(self):
        members = Membership.objects.filter(partnership=self.partnership).current().values("school_id")
        return super().get_form_kwargs() | {
            "school_choices": School.objects.filter(pk__in=members).order_by("name"),
            "plan_choices": Plan.objects.filter(partnership=self.partnership),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"year_label": academic_year_label(_this_year())}

    def perform(self, form):
        return subscription_start(
            actor=self.request.user, partnership=self.partnership, year=_this_year(), **form.cleaned_data
        )

    def get_success_message(self, subscription):
        year = academic_year_label(subscription.year)
        return f"{subscription.school.name} subscribes to {subscription.plan.name} for {year}"

    def get_success_url(self, subscription):
        return self.tenant_url("subscriptions:statement", subscription_pk=subscription.pk)


class _SubscriptionMixin(AccessMixin):
    def subscription(self, subscription_pk) -> Subscription:
        subscription = get_object_or_404(
            Subscription.objects.select_related("school", "plan", "partnership"), pk=row_id(subscription_pk)
        )
        if not self.access.sees_school(subscription.school_id):
            raise Http404("This school's credits are not shared with you")
        return subscription


class StatementView(_SubscriptionMixin, TenantViewMixin, TemplateView):
    template_name = "subscriptions/statement.html"

    def lookup(self, **kwargs):
        return self.subscription(kwargs["subscription_pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        subscription = self.lookup(**kwargs)
        bookings = list(Booking.objects.filter(subscription=subscription).select_related("item").order_by("-on", "-pk"))
        today = timezone.localdate()
        context.update(
            subscription=subscription,
            statement=credit_statement(subscription),
            bookings=bookings,
            today=today,
            books=self.access.books_for(subscription.school_id),
            names_bookers=is_school_head(self.request.tenant, subscription.school_id),
            records=self.access.records_visit_for(subscription.school_id),
            year_label=academic_year_label(subscription.year),
        )
        return context


class StatementPdfView(_SubscriptionMixin, TenantViewMixin, View):
    """The school's statement of credits for the year as a tagged PDF (PDF/UA-1)."""

    http_method_names = ["get", "head", "options"]

    def lookup(self, **kwargs):
        return self.subscription(kwargs["subscription_pk"])

    def get(self, request, *args, **kwargs):
        subscription = self.lookup(**kwargs)
        context = {
            "partnership": self.partnership,
            "subscription": subscription,
            "statement": credit_statement(subscription),
            "year_label": academic_year_label(subscription.year),
        }
        response = HttpResponse(render_pdf("subscriptions/pdf/statement.html", context), content_type="application/pdf")
        name = f"credits-{slugify(subscription.school.name)}-{subscription.year}"
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


class StatementExportView(_SubscriptionMixin, TableExportView):
    """The school's statement of credits for the year as CSV or XLSX."""

    def lookup(self, **kwargs):
        return self.subscription(kwargs["subscription_pk"])

    def export_table(self, **kwargs):
        self.object = self.lookup(**kwargs)
        return statement_table(credit_statement(self.object))

    def export_filename(self):
        return f"credits-{slugify(self.object.school.name)}-{self.object.year}"


class BookView(_SubscriptionMixin, ServiceFormView):
    """Book an adviser's time. The first POST shows what it costs and the balance after (nothing is
    written); confirming books it."""

    template_name = "subscriptions/book.html"
    form_class = BookingForm
    context_object_name = "subscription"

    def lookup(self, **kwargs):
        subscription = self.subscription(kwargs["subscription_pk"])
        if not self.access.books_for(subscription.school_id):
            raise PermissionDenied
        return subscription

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"partnership": self.partnership}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["balance"] = credit_balance(self.object)
        context["year_label"] = academic_year_label(self.object.year)
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.lookup(**kwargs)
        form = self.get_form()
        if form.is_valid() and not form.cleaned_data.get("confirm"):
            data = form.cleaned_data
            try:
                booking_validate(subscription=self.object, item=data["item"], on=data["on"], hours=data["hours"])
            except ValidationError as error:
                self.add_service_errors(form, error)
                return self.form_invalid(form)
            cost = tariff_credits(data["item"], hours=data["hours"], report=data["report"])
            balance = credit_balance(self.object)
            return self.render_to_response(
                self.get_context_data(form=form, checking=True, cost=cost, balance_after=balance - cost)
            )
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        return booking_create(
            actor=self.request.user,
            subscription=self.object,
            item=data["item"],
            on=data["on"],
            hours=data["hours"],
            report=data["report"],
            notes=data["notes"],
        )

    def get_success_message(self, booking):
        return f"Booked: {booking.item.name}, for {booking.credits.normalize():f} credits"

    def get_success_url(self, booking):
        return self.tenant_url("subscriptions:statement", subscription_pk=self.object.pk)


class _BookingFormView(_SubscriptionMixin, ServiceFormView):
    context_object_name = "booking"

    def booking(self, booking_pk) -> Booking:
        booking = get_object_or_404(
            Booking.objects.select_related("subscription__school", "subscription__plan", "item"), pk=row_id(booking_pk)
        )
        if not self.access.sees_school(booking.subscription.school_id):
            raise Http404("This school's credits are not shared with you")
        return booking

    def get_success_url(self, booking):
        return self.tenant_url("subscriptions:statement", subscription_pk=booking.subscription_id)


class BookingCancelView(_BookingFormView):
    template_name = "subscriptions/cancel.html"
    form_class = Form  # nothing to fill in: the button confirms

    def lookup(self, **kwargs):
        booking = self.booking(kwargs["booking_pk"])
        if not self.access.books_for(booking.subscription.school_id):
            raise PermissionDenied
        return booking

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"refund_due": refund_due(self.object)}

    def perform(self, form):
        return booking_cancel(actor=self.request.user, booking=self.object)

    def get_success_message(self, booking):
        return f"{booking.item.name} on {booking.on:%-d %B %Y} cancelled"


class ActualsView(_BookingFormView):
    template_name = "subscriptions/actuals.html"
    form_class = ActualsForm

    def lookup(self, **kwargs):
        booking = self.booking(kwargs["booking_pk"])
        if not self.access.records_visit_for(booking.subscription.school_id):
            raise PermissionDenied
        return booking

    def get_initial(self):
        return {"actual_hours": self.object.actual_hours or self.object.hours, "report_written": self.object.report}

    def perform(self, form):
        return booking_actuals_record(actor=self.request.user, booking=self.object, **form.cleaned_data)

    def get_success_message(self, booking):
        return f"Time recorded for {booking.item.name} on {booking.on:%-d %B %Y}"


class _BookersMixin(AccessMixin):
    """A school's bookers: its headteacher's (403 to the school's other people; 404 to anyone else)."""

    def lookup(self, **kwargs):
        school = get_object_or_404(
            School.objects.filter(memberships__partnership=self.partnership).distinct(), pk=row_id(kwargs["school_pk"])
        )
        if not self.access.sees_school(school.pk):
            raise Http404("This school's bookers are not shared with you")
        if not is_school_head(self.request.tenant, school.pk):
            raise PermissionDenied
        return school


class BookersView(_BookersMixin, ServiceFormView):
    """Who may book for the school: its headteacher names a colleague (someone holding a role for the
    school here) for a time, and sees each naming and whether it is in force today. A school need not
    subscribe: places at open events are booked and paid for without credits."""

    template_name = "subscriptions/bookers.html"
    form_class = DelegationForm
    context_object_name = "school"

    @cached_property
    def school_subscription(self) -> Subscription | None:
        return Subscription.objects.filter(partnership=self.partnership, school=self.object).order_by("-year").first()

    def get_form_kwargs(self):
        colleagues = RoleAssignment.objects.filter(partnership=self.partnership, school=self.object)
        colleagues = colleagues.active().exclude(user=self.request.user).values("user_id")
        choices = User.objects.filter(pk__in=colleagues).order_by("full_name", "email")
        return super().get_form_kwargs() | {"delegate_choices": choices}

    def get_initial(self):
        return {"start": timezone.localdate()}

    def get_context_data(self, **kwargs):
        delegations = delegations_of_school(self.partnership, self.object.pk)
        return super().get_context_data(**kwargs) | {
            "delegations": delegations,
            "today": timezone.localdate(),
            "subscription": self.school_subscription,
        }

    def perform(self, form):
        return delegation_grant(
            actor=self.request.user, partnership=self.partnership, school=self.object, **form.cleaned_data
        )

    def get_success_message(self, delegation):
        return f"{delegation.delegate.full_name or delegation.delegate.email} may book for {delegation.school.name}"

    def get_success_url(self, delegation):
        return self.tenant_url("subscriptions:bookers", school_pk=self.object.pk)


class BookersExportView(_BookersMixin, TableExportView):
    """The colleagues a school's headteacher has named to book, as the bookers page lists them, as CSV
    or XLSX, to that headteacher."""

    def export_table(self, **kwargs):
        self.school = self.lookup(**kwargs)
        return bookers_table(self.school, delegations_of_school(self.partnership, self.school.pk))

    def export_filename(self):
        return f"bookers-{slugify(self.school.name)}"


class BookerWithdrawView(AccessMixin, ServiceFormView):
    """The headteacher withdraws a colleague's booking for the school."""

    template_name = "subscriptions/booker_withdraw.html"
    form_class = Form  # nothing to fill in: the button confirms
    context_object_name = "delegation"

    def lookup(self, **kwargs):
        delegation = get_object_or_404(
            BookingDelegation.objects.select_related("school", "delegate"), pk=row_id(kwargs["delegation_pk"])
        )
        if not self.access.sees_school(delegation.school_id):
            raise Http404("This school's bookers are not shared with you")
        if not is_school_head(self.request.tenant, delegation.school_id):
            raise PermissionDenied
        return delegation

    def perform(self, form):
        return delegation_withdraw(actor=self.request.user, delegation=self.object)

    def get_success_message(self, delegation):
        who = delegation.delegate.full_name or delegation.delegate.email
        return f"{who} may no longer book for {delegation.school.name}"

    def get_success_url(self, delegation):
        return self.tenant_url("subscriptions:bookers", school_pk=self.object.school_id)
