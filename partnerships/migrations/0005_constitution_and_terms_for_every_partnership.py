"""Every partnership has its constitution and this and next year's terms from the day it is created
(partnership_create); this gives them to partnerships created before that rule, so that no page
ever has to create them."""

import datetime

from django.db import migrations


def forwards(apps, schema_editor):
    from partnerships.calendar import academic_year_of, default_terms

    Partnership = apps.get_model("partnerships", "Partnership")
    Constitution = apps.get_model("partnerships", "Constitution")
    Term = apps.get_model("partnerships", "Term")
    year = academic_year_of(datetime.date.today())
    for partnership in Partnership.objects.all():
        Constitution.objects.get_or_create(partnership=partnership)
        for academic_year in (year, year + 1):
            have = set(
                Term.objects.filter(partnership=partnership, academic_year=academic_year).values_list("name", flat=True)
            )
            Term.objects.bulk_create(
                [
                    Term(
                        partnership=partnership,
                        academic_year=academic_year,
                        name=dates.name,
                        starts=dates.starts,
                        half_term_starts=dates.half_term_starts,
                        half_term_ends=dates.half_term_ends,
                        ends=dates.ends,
                    )
                    for dates in default_terms(academic_year)
                    if dates.name not in have
                ]
            )


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0004_permissions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
