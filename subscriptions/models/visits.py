"""An adviser's notes of visit and the Joint Annual Review of a school.

A note of visit is confidential: only the school's headteacher, the adviser who wrote it and the roles
named on the note read it (subscriptions.selectors.may_read_visit), and every reading is recorded
(VisitView). A Joint Annual Review is drafted by the school's adviser each term, confirmed or returned
by the headteacher, and only once confirmed submitted; each change of state is a ReviewEvent.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager


class Visit(models.Model):
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on = models.DateField("Date of the visit")
    agenda = models.TextField(help_text="Agreed in advance with the headteacher")
    agenda_agreed_at = models.DateTimeField(null=True, blank=True)
    agenda_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seen = models.TextField("Who was seen", blank=True)
    evidence = models.TextField(blank=True)
    judgements = models.TextField(blank=True)
    next_steps = models.TextField("Next steps", blank=True)
    # Roles (partnerships.roles.Role values) who may read the note besides the headteacher and its
    # adviser; a role held for a school counts only when held for this school.
    shared_with = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"Note of visit, {self.on:%-d %B %Y}"

    @property
    def written(self) -> bool:
        return bool(self.seen or self.evidence or self.judgements or self.next_steps)


class VisitView(models.Model):
    """One reading of a note of visit: who read it and when (written by the POST that shows the note)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="views")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="visit__partnership")

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.visit} read on {self.at:%-d %B %Y}"


class Review(models.Model):
    class Term(models.TextChoices):
        AUTUMN = "autumn", "Autumn: achievement"
        SPRING = "spring", "Spring: provision"
        SUMMER = "summer", "Summer: leadership"

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Sent to the headteacher"
        CONFIRMED = "confirmed", "Confirmed by the headteacher"
        RETURNED = "returned", "Returned with comments"
        SUBMITTED = "submitted", "Submitted"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="The academic year, by its first calendar year")
    term = models.CharField(max_length=10, choices=Term.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    summary = models.TextField(help_text="The term's focus: achievement, provision or leadership")
    # Autumn's achievement: data against targets, with previous, local and national figures, per key stage.
    ks1 = models.TextField("Key stage 1", blank=True)
    ks2 = models.TextField("Key stage 2", blank=True)
    ks4 = models.TextField("Key stage 4", blank=True)
    ks5 = models.TextField("Key stage 5", blank=True)
    head_comments = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["-year", "school__name", "term"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "school", "year", "term"], name="review_once_a_term"),
        ]

    def __str__(self) -> str:
        return f"Joint Annual Review, {self.get_term_display().split(':')[0]} {self.year}"


class ReviewEvent(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=10, choices=Review.State.choices, blank=True)
    to_state = models.CharField(max_length=10, choices=Review.State.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    objects = ScopedManager(partnership="review__partnership")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.review}: {self.from_state or 'new'} to {self.to_state}"

    @property
    def verb(self) -> str:
        """What happened, for the review's history: "Returned with comments by ..."."""
        return {"draft": "Drafted", "confirmed": "Confirmed"}.get(self.to_state, self.get_to_state_display())
