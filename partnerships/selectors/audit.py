"""The audit trail read back: one table that the page's downloads (and a person's own export) share."""

from django.utils import timezone

from accounts.audit import AuditAction
from core.exports import Column, Kind, Table

_LABELS = dict(AuditAction.choices)


def audit_table(rows, *, title: str = "Audit trail") -> Table:
    """Every row of `rows` (audit events with their actor selected), read from the database in chunks."""
    return Table(
        title=title,
        columns=[
            Column("Date", Kind.DATE),
            Column("Time"),
            Column("Who"),
            Column("What"),
            Column("About"),
            Column("Entry"),
        ],
        rows=(
            (
                timezone.localtime(row.created_at).date(),
                f"{timezone.localtime(row.created_at):%H:%M:%S}",
                row.actor.full_name if row.actor_id else "Commonroom",
                _LABELS.get(row.action, row.action),
                row.subject_label,
                row.summary,
            )
            for row in rows.iterator(chunk_size=2000)
        ),
    )
