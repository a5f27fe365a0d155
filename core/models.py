from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxMessage(models.Model):
    """One email to one person, written in the transaction that caused it and sent by a task.

    A message is identified by what it is about (`about`, e.g. "meeting:12"), its reader, its kind
    and the version of what it is about: the unique constraint means a retried request or task
    cannot queue the same message twice, and a new version (a changed meeting) is a new message.
    It keeps one Message-ID for life, so a resend is recognisably the same message.

    The outbox is plumbing: it knows no partnership. Pages that show mail to a partnership read it
    through their own records (a meeting's notices), never by listing this table.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        IN_FLIGHT = "in_flight", "Being sent"
        RETRY = "retry", "Waiting to try again"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    about = models.CharField(max_length=100, help_text='What the message is about, e.g. "meeting:12"')
    recipient = models.EmailField()
    kind = models.CharField(max_length=60, help_text='e.g. "meeting.notice"')
    version = models.PositiveIntegerField(default=1)

    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField()
    message_id = models.CharField(max_length=200, unique=True)
    calendar = models.TextField(
        blank=True, help_text="An iCalendar object (with its METHOD) sent as a calendar invitation with the email"
    )

    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    in_flight_since = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When a message waiting to try again is due"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["about", "recipient", "kind", "version"], name="outbox_one_message_per_version"
            ),
            models.CheckConstraint(condition=~Q(state="sent") | Q(sent_at__isnull=False), name="outbox_sent_has_time"),
            models.CheckConstraint(
                condition=~Q(state="retry") | Q(next_attempt_at__isnull=False), name="outbox_retry_has_time"
            ),
        ]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient} ({self.get_state_display().lower()})"
