"""A person's tokens for the read API (reports.api): one partnership each, only a hash of the secret is
kept, and revoking one is final. What a token may read is worked out on each request from its holder's
roles in force that day, never stored, so it lapses with their roles."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

PREFIX_LENGTH = 8  # shown in the list so a person can tell their tokens apart; never enough to use one


def token_hash(secret: str) -> str:
    """What is kept of a token: its SHA-256, so the database alone opens nothing."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField("Name", max_length=80, help_text="What the token is for, so you know it later")
    prefix = models.CharField(max_length=PREFIX_LENGTH)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"API token {self.name!r} of {self.user}"
