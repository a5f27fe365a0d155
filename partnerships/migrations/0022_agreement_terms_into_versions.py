"""The partnership's agreement dates become its first published version.

Until now a partnership kept one start and end date for its agreement. Each partnership with a start
date gets version 1, published, with that term and the member schools in force at some time during it;
0023 then removes the two fields, so the versions are the one place the term is kept. An end before the
start was never a term (nothing refused it before): it is dropped rather than invented. Going back puts
the latest published version's dates on the partnership again.
"""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone


def versions_from_dates(apps, schema_editor):
    Partnership = apps.get_model("partnerships", "Partnership")
    Membership = apps.get_model("partnerships", "Membership")
    AgreementVersion = apps.get_model("partnerships", "AgreementVersion")
    AgreementMember = apps.get_model("partnerships", "AgreementMember")
    now = timezone.now()
    for partnership in Partnership.objects.filter(agreement_starts__isnull=False).order_by("pk"):
        starts, ends = partnership.agreement_starts, partnership.agreement_ends
        if ends is not None and ends < starts:
            ends = None
        version = AgreementVersion.objects.create(
            partnership=partnership,
            number=1,
            title="Partnership agreement",
            starts=starts,
            ends=ends,
            status="published",
            published_at=now,
            created_at=now,
        )
        during = Membership.objects.filter(partnership=partnership).filter(Q(left__isnull=True) | Q(left__gte=starts))
        if ends is not None:
            during = during.filter(joined__lte=ends)
        school_ids = sorted(set(during.values_list("school_id", flat=True)))
        AgreementMember.objects.bulk_create(AgreementMember(version=version, school_id=pk) for pk in school_ids)


def dates_from_versions(apps, schema_editor):
    Partnership = apps.get_model("partnerships", "Partnership")
    AgreementVersion = apps.get_model("partnerships", "AgreementVersion")
    for version in AgreementVersion.objects.exclude(status="draft").order_by("number"):  # the latest wins
        Partnership.objects.filter(pk=version.partnership_id).update(
            agreement_starts=version.starts, agreement_ends=version.ends
        )
    for version in AgreementVersion.objects.order_by("-number"):  # a later version protects the one it supersedes
        version.delete()


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0021_agreement_versions")]

    operations = [migrations.RunPython(versions_from_dates, dates_from_versions)]
