from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django_scopes import ScopedManager


class School(models.Model):
    """A school on the shared register. What a partnership knows about it lives in tenant models."""

    class Phase(models.TextChoices):
        NURSERY = "nursery", "Nursery"
        INFANT = "infant", "Infant"
        JUNIOR = "junior", "Junior"
        PRIMARY = "primary", "Primary"
        MIDDLE = "middle", "Middle"
        SECONDARY = "secondary", "Secondary"
        ALL_THROUGH = "all_through", "All-through"
        SPECIAL = "special", "Special"
        PRU = "pru", "Pupil referral unit"

    # Phases that count as primary or secondary where an agreement asks for both.
    PRIMARY_PHASES = frozenset({"nursery", "infant", "junior", "primary", "middle", "all_through"})
    SECONDARY_PHASES = frozenset({"secondary", "middle", "all_through"})

    urn = models.PositiveIntegerField("URN", unique=True, help_text="Unique reference number from the DfE")
    name = models.CharField(max_length=200)
    phase = models.CharField(max_length=20, choices=Phase.choices)
    type = models.CharField("type of establishment", max_length=100, blank=True)
    religious_character = models.CharField(max_length=100, blank=True)
    local_authority = models.CharField(max_length=100, blank=True)
    street = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["name"]
        # What each permission means. Roles held for the school give them (partnerships/roles.py),
        # worked out per request for one partnership at a time: never stored, nor granted by hand.
        permissions = [
            ("act_for_school", "Can act for the school (headteacher or deputy)"),
            ("govern_school", "Can see the school's governor information"),
            ("advise_school", "Can work with the school as its adviser"),
            ("manage_school_people", "Can add, correct and remove the school's own people (its headteacher)"),
            ("view_school_private", "Can see the school's people, contact details, census, budget and contribution"),
            (
                "keep_partnership_funds",
                "Can see every member's census, budget and contribution (the banker school's finance officer)",
            ),
            ("read_governors_report", "Can read the school's governors' reports once released to governors"),
            ("release_governors_report", "Can comment on the school's governors' reports and release them (its head)"),
            ("see_governors_agreement", "Can see the agreement's state and what to sign (the chair of governors)"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_primary(self) -> bool:
        return self.phase in self.PRIMARY_PHASES

    @property
    def is_secondary(self) -> bool:
        return self.phase in self.SECONDARY_PHASES

    @property
    def address(self) -> str:
        return ", ".join(part for part in (self.street, self.town, self.postcode) if part)


class Census(models.Model):
    """A school's January census figures for one year (shared: they are the school's own public figures)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="censuses")
    year = models.PositiveSmallIntegerField(help_text="The calendar year of the January census")
    headcount = models.PositiveIntegerField("Pupil headcount")
    fte = models.DecimalField(
        "Full-time equivalent pupils", max_digits=7, decimal_places=1, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="census_once_per_year"),
            models.CheckConstraint(condition=Q(fte__gte=0), name="census_fte_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.school}, January {self.year}"


class Budget(models.Model):
    """A school's budget for a financial year, for budget-proportional shares."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="budgets")
    financial_year = models.PositiveSmallIntegerField(help_text="The year the financial year starts in (April)")
    amount = models.DecimalField("Budget (£)", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["-financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "financial_year"], name="budget_once_per_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.school}, {self.financial_year}-{str(self.financial_year + 1)[-2:]}"


class Person(models.Model):
    """A member of staff or a governor of a school, as the partnership knows them."""

    class Position(models.TextChoices):
        HEADTEACHER = "headteacher", "Headteacher"
        DEPUTY_HEAD = "deputy_head", "Deputy headteacher"
        ASSISTANT_HEAD = "assistant_head", "Assistant headteacher"
        BUSINESS_MANAGER = "business_manager", "School business manager"
        SENCO = "senco", "SENCO"
        EYFS_LEAD = "eyfs_lead", "EYFS lead"
        TEACHER = "teacher", "Teacher"
        CHAIR_OF_GOVERNORS = "chair_of_governors", "Chair of governors"
        GOVERNOR = "governor", "Governor"
        CLERK = "clerk", "Clerk to governors"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    position = models.CharField(max_length=20, choices=Position.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Their Commonroom account, once they have one",
    )

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["school__name", "position", "full_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name
