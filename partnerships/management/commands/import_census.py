"""python manage.py import_census --partnership SLUG --year YEAR PATH: a year's census figures from a CSV."""

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from partnerships.management.imports import run_import
from partnerships.models import Partnership
from partnerships.services.members import census_import


class Command(BaseCommand):
    help = (
        "Record the January census figures (columns URN, Headcount, FTE) of a partnership's member schools "
        "for one year. All or nothing: if any row is bad, nothing is saved and every bad row is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file: URN, Headcount, FTE")
        parser.add_argument("--partnership", required=True, help="The partnership's slug, e.g. heart-of-manchester")
        parser.add_argument("--year", required=True, type=int, help="The year of the January census, e.g. 2026")

    def handle(self, *args, path: str, partnership: str, year: int, **options):
        with scopes_disabled():
            tenant = Partnership.objects.filter(slug=partnership).first()
        if tenant is None:
            raise CommandError(f"There is no partnership with the slug {partnership!r}")
        report = run_import(
            self,
            path,
            lambda data, name: census_import(actor=None, partnership=tenant, year=year, data=data, filename=name),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"January {year} census for {tenant.name}: created {report.created}, updated {report.updated}, "
                f"unchanged {report.unchanged}, rejected 0"
            )
        )
