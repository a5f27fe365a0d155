"""The schema half of the move to inclusive end dates, after 0009 has moved the data.

A migration of its own because PostgreSQL will not alter a table in the transaction that has just
changed its rows (0009 updates elections and deletes roles, which leaves deferred foreign-key checks
pending)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0009_end_dates_are_last_days")]

    operations = [
        migrations.AlterField(
            model_name='election',
            name='term_ends',
            field=models.DateField(help_text='The last day of the term of office'),
        ),
        migrations.AlterField(
            model_name='roleassignment',
            name='end',
            field=models.DateField(
                blank=True, help_text='The last day of the role; empty while it continues', null=True
            ),
        ),
        migrations.AddConstraint(
            model_name='election',
            constraint=models.CheckConstraint(
                condition=models.Q(('term_ends__gte', models.F('term_starts'))), name='election_term_ends_after_start'
            ),
        ),
    ]
