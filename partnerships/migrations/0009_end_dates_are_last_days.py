"""End dates become last days, as everywhere else (DESIGN.md "Date ranges").

A role's `end` and an election's `term_ends` used to be the first day without the role; they are now
the last day in force, inclusive, like a membership's `left`. Every stored end moves one day earlier,
so each role and term covers exactly the days it covered before.

A role that started and ended on the same day was never in force under the old convention, and an
inclusive end cannot say "no days at all" (`end >= start` would break, and keeping end == start would
grant a day nobody had). Those rows are deleted, each one written to the partnership's audit log with
its details first (an election that pointed at one keeps its record, without the role); going back
cannot restore them.
"""

import datetime

from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def _shift(model, field: str, days: int) -> None:
    # In Python rather than F() - timedelta, which SQLite would store as a datetime string.
    rows = list(model.objects.filter(**{f"{field}__isnull": False}).only("pk", field))
    for row in rows:
        setattr(row, field, getattr(row, field) + datetime.timedelta(days=days))
    model.objects.bulk_update(rows, [field], batch_size=500)


def ends_to_last_days(apps, schema_editor):
    RoleAssignment = apps.get_model("partnerships", "RoleAssignment")
    Election = apps.get_model("partnerships", "Election")
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    never_in_force = RoleAssignment.objects.filter(end=F("start"))
    for role in never_in_force.select_related("user", "school"):
        what = role.role.replace("_", " ") + (f", {role.school.name}" if role.school_id else "")
        summary = (
            f"{role.user.full_name or role.user.email} as {what} started and ended on {role.start:%-d %B %Y}, "
            "so was never in force: removed when end dates became last days"
        )
        AuditEvent.objects.create(
            partnership_id=role.partnership_id,
            actor=None,
            action="role.removed_never_in_force",
            summary=summary[:300],
            data={
                "role_assignment": role.pk,
                "user": role.user_id,
                "role": role.role,
                "school": role.school_id,
                "start": role.start.isoformat(),
            },
        )
    Election.objects.filter(role__in=list(never_in_force.values_list("pk", flat=True))).update(role=None)
    never_in_force.delete()
    _shift(RoleAssignment, "end", -1)
    _shift(Election, "term_ends", -1)


def last_days_to_ends(apps, schema_editor):
    _shift(apps.get_model("partnerships", "RoleAssignment"), "end", 1)
    _shift(apps.get_model("partnerships", "Election"), "term_ends", 1)


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0008_interestreminder'),
        ('schools', '0002_school_religious_character_school_street_school_town_and_more'),
        ('accounts', '0002_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='election',
            name='election_term_ends_after_start',
        ),
        migrations.RunPython(ends_to_last_days, last_days_to_ends),
    ]
