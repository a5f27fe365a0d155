import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_scopes import ScopedManager

from core.files import DOCUMENT_TYPES, PDF, get_private_storage


def _new_uid() -> str:
    return f"{uuid.uuid4()}@commonroom"


class Meeting(models.Model):
    """One meeting of the partnership, a group or the whole community of schools.

    `uid` and `sequence` are the meeting's identity in people's calendars (RFC 5545): the UID never
    changes, and every notice that changes what a calendar shows carries a higher SEQUENCE.
    """

    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", "Partnership meeting"
        STRATEGY = "strategy", "Strategy group meeting"
        GROUP = "group", "Standing group or network meeting"
        TASK_GROUP = "task_group", "Task group meeting"
        ANNUAL_PLANNING = "annual_planning", "Annual planning meeting"
        HEADS_AND_CHAIRS = "heads_and_chairs", "Annual meeting of headteachers and chairs of governors"
        EVENT = "event", "Celebration or joint event"
        TRAINING_DAY = "training_day", "Joint training (INSET) day"

    # The kinds that belong to one of the partnership's groups.
    GROUP_KINDS = frozenset({Kind.GROUP, Kind.TASK_GROUP})

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    class AgendaStatus(models.TextChoices):
        DRAFT = "draft", "Draft"
        AGREED = "agreed", "Agreed by the chair"
        PUBLISHED = "published", "Published"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    group = models.ForeignKey(
        "partnerships.Group", null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    starts = models.DateTimeField()
    ends = models.DateTimeField()
    venue_school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="School"
    )
    venue_address = models.TextField("Address", blank=True)
    online_link = models.URLField("Online meeting link", max_length=500, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    short_notice_reason = models.TextField(
        blank=True, help_text="Why the meeting is called at shorter notice than the agreement asks"
    )
    cancel_reason = models.TextField(blank=True)

    agenda_status = models.CharField(max_length=10, choices=AgendaStatus.choices, default=AgendaStatus.DRAFT)
    agenda_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agenda_agreed_at = models.DateTimeField(null=True, blank=True)
    papers_deadline = models.DateField(
        null=True, blank=True, help_text="The day presenters' papers are due; they are reminded before it"
    )
    papers_published_at = models.DateTimeField(null=True, blank=True)
    # How many times the agenda and papers have been published: each publication is one notice per person.
    papers_version = models.PositiveIntegerField(default=0, editable=False)

    uid = models.CharField(max_length=200, unique=True, default=_new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)

    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The coordinator who called the meeting; calendars show them as its organiser",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["starts", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="meeting_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(kind__in=["group", "task_group"]) | Q(group__isnull=False), name="group_meeting_has_group"
            ),
        ]
        indexes = [models.Index(fields=["partnership", "starts"])]

    def __str__(self) -> str:
        return f"{self.title}, {timezone.localtime(self.starts):%-d %B %Y}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def agenda_is_public(self) -> bool:
        """Published at least once: everyone sees the agenda, even while a change awaits agreement."""
        return self.papers_version > 0

    @property
    def place(self) -> str:
        """Where it is, for a page: the school or the address's first line, and whether it is online."""
        if self.venue_school_id:
            where = self.venue_school.name
        else:
            where = next((line.strip() for line in self.venue_address.splitlines() if line.strip()), "")
        if self.online_link:
            return f"{where}, and online" if where else "Online"
        return where

    @property
    def venue(self) -> str:
        """Where it is, in one line, as a calendar's LOCATION shows it."""
        parts = []
        if self.venue_school_id:
            parts.append(self.venue_school.name)
        if self.venue_address:
            parts.append(", ".join(line.strip() for line in self.venue_address.splitlines() if line.strip()))
        if self.online_link:
            parts.append(self.online_link)
        return "; ".join(parts)


class Invitee(models.Model):
    """Someone invited to a meeting: a person with a Commonroom account, a person on a school's people
    list, or both; and the member school they come for, if any (quorum counts schools). Their answer
    is kept here: coming, apologies with a reason, or a substitute from their school (who is then
    invited in their own right, `substitute_for` pointing back)."""

    class Answer(models.TextChoices):
        NONE = "", "Not answered"
        ATTENDING = "attending", "Coming"
        APOLOGIES = "apologies", "Sends apologies"
        SUBSTITUTE = "substitute", "Sending a substitute"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("schools.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    added_by_hand = models.BooleanField(default=False, help_text="Added by the coordinator, not by the meeting's kind")
    removed_at = models.DateTimeField(null=True, blank=True, help_text="Taken off the meeting; sent a cancellation")
    answer = models.CharField(max_length=12, choices=Answer.choices, blank=True, default=Answer.NONE)
    apologies_reason = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    substitute_for = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="substitutes",
        help_text="The invitee this person attends in place of",
    )

    objects = ScopedManager(partnership="meeting__partnership")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(person__isnull=False), name="invitee_is_someone"
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"], condition=Q(user__isnull=False), name="invitee_user_once_per_meeting"
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"], condition=Q(person__isnull=False), name="invitee_person_once_per_meeting"
            ),
            models.CheckConstraint(
                condition=~Q(answer="apologies") | ~Q(apologies_reason=""), name="apologies_give_a_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.user_id:
            return self.user.full_name or self.user.email
        return self.person.full_name

    @property
    def email(self) -> str:
        if self.user_id:
            return self.user.email
        return self.person.email

    @property
    def is_current(self) -> bool:
        return self.removed_at is None


class CalendarFeed(models.Model):
    """A person's secret calendar link: the meetings they are invited to, for their calendar program to
    subscribe to without signing in. Only a hash of the token is kept; stopping the link revokes it."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user"], condition=Q(revoked_at__isnull=True), name="one_live_feed_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"Calendar link of {self.user}"


class Attendance(models.Model):
    """How a member school was represented at a meeting, as the note-taker records it on the day."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        SUBSTITUTE = "substitute", "Represented by a substitute"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent without apologies"

    # The statuses that count towards a quorum: the school is at the meeting.
    REPRESENTED = frozenset({Status.PRESENT, Status.SUBSTITUTE})

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="meeting__partnership")

    class Meta:
        ordering = ["school__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "school"], name="attendance_once_per_school")]

    def __str__(self) -> str:
        return f"{self.school}: {self.get_status_display()}"


class AgendaItem(models.Model):
    """One item of a meeting's agenda, in its place. A confidential item's papers and notes are seen
    only by those entitled to them (`meetings.selectors.may_see_confidential`)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    purpose = models.TextField(blank=True, help_text="What the meeting is asked to do, in a sentence or two")
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    minutes = models.PositiveSmallIntegerField("Minutes allowed", null=True, blank=True)
    decision_needed = models.BooleanField(default=False)
    confidential = models.BooleanField(default=False)
    notes = models.TextField(blank=True, help_text="The minutes of this item, as the note-taker writes them")

    objects = ScopedManager(partnership="meeting__partnership")

    class Meta:
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Paper(models.Model):
    """A paper for an agenda item: a PDF or office document, stored where no URL serves it. `name` is
    the uploader's file name made safe; `content_type` was read from the file's content."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    file = models.FileField(storage=get_private_storage, upload_to="papers", max_length=200)
    name = models.CharField(max_length=200)
    content_type = models.CharField(
        max_length=100, choices=[(mime, ext.upper()) for mime, ext in DOCUMENT_TYPES.items()]
    )
    size = models.PositiveBigIntegerField()
    pages = models.PositiveIntegerField(null=True, blank=True, help_text="A PDF's number of pages")
    no_pupil_data = models.BooleanField(
        default=False, help_text="The uploader declared that the paper holds no pupil-level data"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="item__meeting__partnership")

    class Meta:
        ordering = ["item", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(no_pupil_data=True), name="paper_declares_no_pupil_data"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_pdf(self) -> bool:
        return self.content_type == PDF

    @property
    def kind_label(self) -> str:
        return DOCUMENT_TYPES[self.content_type].upper()


class Minutes(models.Model):
    """A meeting's minutes: built from its record (attendance, each item's notes, decisions and actions),
    drafted by the note-taker, circulated, then approved at a later meeting, whose own minutes record
    the approval."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CIRCULATED = "circulated", "Circulated"
        APPROVED = "approved", "Approved"

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    circulated_at = models.DateTimeField(null=True, blank=True)
    circulated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at_meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_minutes",
        help_text="The meeting that approved these minutes as a true record",
    )

    objects = ScopedManager(partnership="meeting__partnership")

    class Meta:
        verbose_name_plural = "minutes"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at_meeting__isnull=False, approved_at__isnull=False),
                name="approved_minutes_name_their_meeting",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(circulated_at__isnull=False), name="circulated_minutes_say_when"
            ),
        ]

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}"


class Decision(models.Model):
    """A decision minuted under an agenda item, with the vote where one was taken. `inquorate` is fixed
    when it is recorded: the meeting was not quorate at that moment, by the constitution's rule."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    votes_for = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(null=True, blank=True)
    inquorate = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="item__meeting__partnership")

    class Meta:
        ordering = ["item", "recorded_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def vote_label(self) -> str:
        if self.votes_for is None and self.votes_against is None and self.abstentions is None:
            return ""
        return f"For {self.votes_for or 0}, against {self.votes_against or 0}, abstaining {self.abstentions or 0}"


class ActionPoint(models.Model):
    """An action agreed at a meeting: who, what, by when; done with a note of what was done."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due = models.DateField()
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    done_note = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="meeting__partnership")

    class Meta:
        ordering = ["due", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | (~Q(done_note="") & Q(done_at__isnull=False)),
                name="done_action_has_a_note",
            )
        ]
        indexes = [models.Index(fields=["status", "due"])]

    def __str__(self) -> str:
        return self.description[:80]

    def is_overdue(self, today) -> bool:
        return self.status == self.Status.OPEN and self.due < today


class FollowUp(models.Model):
    """The chair's follow-up of a school's continued non-representation (Exeter 5.1): recorded against
    the run of absences that raised it, so a new run raises a new flag."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    last_absence = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="+", help_text="The latest meeting of the run of absences"
    )
    note = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "last_absence"], name="one_follow_up_per_run_of_absences")
        ]

    def __str__(self) -> str:
        return f"Follow-up of {self.school}"
