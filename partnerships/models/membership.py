from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager


def _letter_path(instance, filename: str) -> str:
    return f"partnerships/{instance.partnership_id}/leaving-notices/{filename}"


class LeavingNotice(models.Model):
    """A school's formal written notice to leave; the leaving date follows from the notice rule."""

    class Method(models.TextChoices):
        """How the notice was given in writing. A letter is kept with the notice; an email may be."""

        LETTER = "letter", "Letter"
        EMAIL = "email", "Email"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey("partnerships.Membership", on_delete=models.PROTECT, related_name="notices")
    received_on = models.DateField("Date the notice was received")
    method = models.CharField("How the notice was given", max_length=10, choices=Method.choices, default=Method.LETTER)
    given_by = models.CharField(
        "From", max_length=150, help_text="Who signed the letter or sent the email, and their position"
    )
    letter = models.FileField(upload_to=_letter_path, blank=True)
    leaving_on = models.DateField(help_text="The school's last day as a member: the end of the notice term")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["-received_on"]

    def __str__(self) -> str:
        return f"Notice from {self.membership.school} received {self.received_on}"
