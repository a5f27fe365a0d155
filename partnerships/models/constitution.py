from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_scopes import ScopedManager

from partnerships.calendar import TERM_LABELS, TERM_NAMES, academic_year_label

# The sections of the constitution page, each changed on its own form page, in page order.
SECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "meetings": (
        "Meetings",
        (
            "meeting_frequency",
            "min_meetings_per_year",
            "notice_days",
            "quorum_kind",
            "quorum_value",
            "absences_before_follow_up",
            "minutes_to_local_authority",
        ),
    ),
    "offices": (
        "Chair and vice chair",
        ("chair_term_years", "chair_max_consecutive_years", "chair_must_be_headteacher"),
    ),
    "strategy": (
        "Strategy group",
        (
            "strategy_head_reps",
            "strategy_reserve_rotates",
            "strategy_needs_primary_and_secondary",
            "strategy_group_notes",
        ),
    ),
    "money": (
        "Money",
        ("banker_school", "finance_summary_to_local_authority"),
    ),
    "membership": ("Joining and leaving", ("leaving_notice_terms", "leaver_contribution_refunded")),
    "development": ("Development areas", ("development_area_target", "development_area_minimum")),
    "cpd": ("Professional development", ("cpd_free_hours_per_term",)),
    "advisers": ("Advisers", ("adviser_max_schools",)),
    "information": (
        "Information sharing",
        ("share_staff_contacts", "share_census", "share_budget", "share_contributions", "information_sharing"),
    ),
}


class SharedWith(models.TextChoices):
    """Who else sees one category of each member school's private records (Constitution.share_*)."""

    NOBODY_ELSE = "nobody_else", "Only the school, the coordinator and those who need it"
    HEADTEACHERS = "headteachers", "Every member school's headteachers"
    PARTNERSHIP = "partnership", "Everyone in the partnership"


class InformationCategory(models.TextChoices):
    """The kinds of a member school's private records, each with its own sharing switch."""

    STAFF_CONTACTS = "staff_contacts", "Staff names and contact details"
    CENSUS = "census", "Census figures"
    BUDGET = "budget", "Budget"
    CONTRIBUTION = "contribution", "Each school's contribution"


def _shared_with_field(verbose_name: str) -> models.CharField:
    """A switch of the constitution's information sharing: private to the school unless it says otherwise."""
    return models.CharField(verbose_name, max_length=20, choices=SharedWith.choices, default=SharedWith.NOBODY_ELSE)


# Each category -> the Constitution field that says who else sees it.
SHARING_FIELDS = {
    InformationCategory.STAFF_CONTACTS: "share_staff_contacts",
    InformationCategory.CENSUS: "share_census",
    InformationCategory.BUDGET: "share_budget",
    InformationCategory.CONTRIBUTION: "share_contributions",
}


# The rules an agreement may leave unset: NULL means "not set by the agreement", shown as such and never
# enforced. A new partnership starts with every one of them unset; later rules arrive the same way.
RULES: tuple[str, ...] = (
    "meeting_frequency",
    "min_meetings_per_year",
    "notice_days",
    "quorum_kind",
    "quorum_value",
    "chair_term_years",
    "chair_max_consecutive_years",
    "chair_must_be_headteacher",
    "absences_before_follow_up",
    "minutes_to_local_authority",
    "strategy_head_reps",
    "strategy_reserve_rotates",
    "strategy_needs_primary_and_secondary",
    "finance_summary_to_local_authority",
    "leaving_notice_terms",
    "leaver_contribution_refunded",
    "development_area_target",
    "development_area_minimum",
    "cpd_free_hours_per_term",
    "adviser_max_schools",
)

# A working value where the software needs one and the agreement sets none (suggesting a meeting date).
# It is a default, not the partnership's rule: pages say the agreement is silent.
DEFAULT_NOTICE_DAYS = 7
# Partnership meetings in a row a school may miss without apologies before the chair is asked to follow
# it up, where the agreement asks for follow-up without a number (Exeter 5.1: "continued").
DEFAULT_ABSENCES_BEFORE_FOLLOW_UP = 2


class Constitution(models.Model):
    """The rules of a partnership's agreement that the software enforces. One per partnership."""

    class Frequency(models.TextChoices):
        HALF_TERMLY = "half_termly", "Every half term"
        TERMLY = "termly", "Every term"
        MINIMUM_PER_YEAR = "minimum_per_year", "A minimum number each year"

    class Quorum(models.TextChoices):
        PERCENT = "percent", "A percentage of member schools"
        NUMBER = "number", "A fixed number of member schools"

    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="constitution"
    )

    # NULL, not "", is "not set by the agreement" for every rule, choices included: one meaning, one check.
    meeting_frequency = models.CharField(  # noqa: DJ001
        "How often the partnership meets", max_length=20, choices=Frequency.choices, null=True, blank=True
    )
    min_meetings_per_year = models.PositiveSmallIntegerField(
        "Strategic meetings a year, at least",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    notice_days = models.PositiveSmallIntegerField(
        "Days' notice of a meeting", null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(90)]
    )
    quorum_kind = models.CharField(  # noqa: DJ001
        "How the quorum is set", max_length=10, choices=Quorum.choices, null=True, blank=True
    )
    quorum_value = models.PositiveSmallIntegerField(
        "Quorum",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="A percentage (1 to 100) or a number of schools",
    )
    absences_before_follow_up = models.PositiveSmallIntegerField(
        "Meetings missed in a row before the chair follows up",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    minutes_to_local_authority = models.BooleanField("The local authority receives the minutes", null=True, blank=True)

    chair_term_years = models.PositiveSmallIntegerField(
        "Chair's term of office, in years",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    chair_max_consecutive_years = models.PositiveSmallIntegerField(
        "Most consecutive years as chair",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    chair_must_be_headteacher = models.BooleanField(
        "The chair and vice chair must be headteachers of member schools", null=True, blank=True
    )

    strategy_head_reps = models.PositiveSmallIntegerField(
        "Headteacher representatives on the strategy group", null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    strategy_reserve_rotates = models.BooleanField(
        "Each representative has a reserve who becomes the representative the next term", null=True, blank=True
    )
    strategy_needs_primary_and_secondary = models.BooleanField(
        "The strategy group must include primary and secondary schools", null=True, blank=True
    )
    strategy_group_notes = models.TextField("Strategy group composition", blank=True)

    # How members contribute, the rate and the banker school's administration share belong to each
    # financial year's contribution scheme (finance.models.ContributionScheme): they change year by year.
    banker_school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member school that holds the partnership's funds",
    )
    finance_summary_to_local_authority = models.BooleanField(
        "Finance summaries are shared with the local authority", null=True, blank=True
    )

    leaving_notice_terms = models.PositiveSmallIntegerField(
        "Terms' written notice to leave", null=True, blank=True, validators=[MaxValueValidator(6)]
    )
    leaver_contribution_refunded = models.BooleanField(
        "A leaving school's contribution for the year is refunded", null=True, blank=True
    )

    development_area_minimum = models.PositiveSmallIntegerField(
        "Development areas each school must take part in, at least",
        null=True,
        blank=True,
        validators=[MaxValueValidator(20)],
    )
    development_area_target = models.PositiveSmallIntegerField(
        "About how many development areas a year", null=True, blank=True, validators=[MaxValueValidator(30)]
    )
    cpd_free_hours_per_term = models.DecimalField(
        "Hours of CPD leaders may give free each term",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # The most schools one adviser (EKP, PEP, school improvement partner) may hold the adviser role for at
    # once: Kent's PEP is school improvement partner for up to 10. Checked as a role starts (role_start).
    adviser_max_schools = models.PositiveSmallIntegerField(
        "The most schools one adviser may advise", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    information_sharing = models.TextField("What information is shared with whom", blank=True)

    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Information sharing, one switch per category of a member school's private records: who sees it
    # besides the school's own people, the coordinator and those who need it (the school's adviser;
    # the banker school's finance officer for figures). `information_sharing` above says why.
    # Read only through partnerships.selectors.permissions.school_privacy.
    share_staff_contacts = _shared_with_field("Who else sees each school's staff names and contact details")
    share_census = _shared_with_field("Who else sees each school's census figures")
    share_budget = _shared_with_field("Who else sees each school's budget")
    share_contributions = _shared_with_field("Who else sees each school's contribution")

    objects = ScopedManager(partnership="partnership")

    class Meta:
        constraints = [
            # Unset rules (NULL) pass; when both are set, the limit covers at least one term.
            models.CheckConstraint(
                condition=Q(chair_max_consecutive_years__isnull=True)
                | Q(chair_term_years__isnull=True)
                | Q(chair_max_consecutive_years__gte=F("chair_term_years")),
                name="chair_limit_covers_a_term",
            ),
            models.CheckConstraint(
                condition=~Q(quorum_kind="percent") | Q(quorum_value__lte=100), name="quorum_percent_at_most_100"
            ),
            # A quorum is set as a kind and a value together, or not at all.
            models.CheckConstraint(
                condition=Q(quorum_kind__isnull=True, quorum_value__isnull=True)
                | Q(quorum_kind__isnull=False, quorum_value__isnull=False),
                name="quorum_kind_and_value_together",
            ),
        ]

    def __str__(self) -> str:
        return f"Constitution of {self.partnership}"

    def shared_with(self, category: str) -> str:
        """Who else sees `category` (an InformationCategory) of each member school's records: a SharedWith."""
        return getattr(self, SHARING_FIELDS[category])

    def is_set(self, rule: str) -> bool:
        """Whether the agreement sets `rule` (one of RULES). An unset rule never refuses anything."""
        if rule not in RULES:
            raise ValueError(f"{rule} is not a rule an agreement may leave unset")
        if rule in ("quorum_kind", "quorum_value"):
            return self.quorum_kind is not None and self.quorum_value is not None
        return getattr(self, rule) is not None

    @property
    def notice_days_or_default(self) -> int:
        """The agreement's days' notice of a meeting, or DEFAULT_NOTICE_DAYS when it sets none.

        Only for suggesting a date: where the agreement is silent, say so and warn; never refuse.
        """
        return DEFAULT_NOTICE_DAYS if self.notice_days is None else self.notice_days

    @property
    def absences_before_follow_up_or_default(self) -> int:
        """Partnership meetings missed in a row, without apologies, before the chair follows a school up."""
        if self.absences_before_follow_up is None:
            return DEFAULT_ABSENCES_BEFORE_FOLLOW_UP
        return self.absences_before_follow_up

    def quorum_schools(self, members: int) -> int | None:
        """How many of `members` member schools make a quorum (a percentage is rounded up);
        None when the agreement sets no quorum."""
        if not self.is_set("quorum_kind"):
            return None
        if self.quorum_kind == self.Quorum.NUMBER:
            return self.quorum_value
        return -(-members * self.quorum_value // 100)


class Term(models.Model):
    """A term of an academic year, with its half term, as this partnership's schools keep it."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="terms")
    academic_year = models.PositiveSmallIntegerField(help_text="The year the academic year starts in")
    name = models.CharField(max_length=6, choices=[(n, TERM_LABELS[n]) for n in TERM_NAMES])
    starts = models.DateField()
    half_term_starts = models.DateField()
    half_term_ends = models.DateField()
    ends = models.DateField()

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["starts"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "academic_year", "name"], name="term_unique_per_year"),
            models.CheckConstraint(
                condition=Q(starts__lt=F("half_term_starts"))
                & Q(half_term_starts__lte=F("half_term_ends"))
                & Q(half_term_ends__lt=F("ends")),
                name="term_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{TERM_LABELS[self.name]} {academic_year_label(self.academic_year)}"
