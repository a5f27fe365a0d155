"""What a partnership sells its schools: plans, each school's subscription for an academic year, and the
tariff that says what each kind of support costs in credits (or in cash)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager


class Plan(models.Model):
    """A subscription a member school may take for an academic year (EducationKingston's full
    subscription: £ a year, 60 credits, an assigned partner, the termly governors' report)."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    yearly_price = models.DecimalField("Price a year (£)", max_digits=10, decimal_places=2)
    credits_per_year = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal("60"))
    carry_over = models.BooleanField(
        default=False, help_text="Unspent credits carry over to the next year's subscription (else they lapse)"
    )
    includes_partner = models.BooleanField("An assigned school improvement partner", default=True)
    includes_governors_report = models.BooleanField("A termly report to governors", default=True)
    includes_ect_support = models.BooleanField("Support for early career teachers", default=False)
    cancel_days = models.PositiveSmallIntegerField(
        default=7, help_text="A booking cancelled at least this many days before is refunded in full; after, not at all"
    )

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="plan_name_once"),
            models.CheckConstraint(condition=Q(yearly_price__gte=0), name="plan_price_not_negative"),
            models.CheckConstraint(condition=Q(credits_per_year__gte=0), name="plan_credits_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class PlanForum(models.Model):
    """Places per school at a named forum that the plan includes (EducationKingston's full subscription:
    2 places at the school improvement forum, 2 at the secondary leadership forum). An event that is
    that forum (Event.forum, the same name) allows each subscribing school this many places; the rule is
    subscriptions.selectors.places_allowance."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="forums")
    name = models.CharField("Forum", max_length=120)
    places_per_school = models.PositiveSmallIntegerField()

    objects = ScopedManager(partnership="plan__partnership")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="plan_forum_once"),
            models.CheckConstraint(condition=Q(places_per_school__gt=0), name="plan_forum_places_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.places_per_school} a school"


class Subscription(models.Model):
    """A school's subscription to a plan for one academic year (September to August). Its credits are a
    ledger (subscriptions.models.credits.CreditEntry); the subscription's row is the lock every entry
    takes, so the balance can never go below nothing."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    year = models.PositiveSmallIntegerField(help_text="The academic year it runs for, by its first calendar year")
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["-year", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "partnership", "year"], name="subscription_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.school} on {self.plan} ({self.year}-{(self.year + 1) % 100:02d})"


class TariffItem(models.Model):
    """One line of the menu: what an activity or event costs. The arithmetic is
    subscriptions.selectors.tariff_credits, and only there."""

    class Kind(models.TextChoices):
        ADVISER_ACTIVITY = "adviser_activity", "An adviser's activity in school (credits by the hour)"
        NETWORK_EVENT = "network_event", "A network event (credits per attendee)"
        OPEN_EVENT = "open_event", "An open event or conference (cash only)"
        CASH_ONLY = "cash_only", "Cash only"

    CREDIT_KINDS = (Kind.ADVISER_ACTIVITY, Kind.NETWORK_EVENT)

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    credits_per_hour = models.DecimalField(max_digits=4, decimal_places=1, default=Decimal("1"))
    report_credits = models.DecimalField(max_digits=4, decimal_places=1, default=Decimal("2"))
    half_day_credits = models.DecimalField(
        "Credits per attendee, up to half a day", max_digits=4, decimal_places=1, default=Decimal("1")
    )
    whole_day_credits = models.DecimalField(
        "Credits per attendee, a whole day", max_digits=4, decimal_places=1, default=Decimal("2")
    )
    member_price = models.DecimalField("Member price (£)", max_digits=8, decimal_places=2, null=True, blank=True)
    non_member_price = models.DecimalField(
        "Non-member price (£)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    active = models.BooleanField(default=True)

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="tariff_item_name_once"),
            models.CheckConstraint(
                condition=Q(credits_per_hour__gte=0)
                & Q(report_credits__gte=0)
                & Q(half_day_credits__gte=0)
                & Q(whole_day_credits__gte=0),
                name="tariff_credits_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def for_credits(self) -> bool:
        return self.kind in self.CREDIT_KINDS
