"""python manage.py import_gias PATH: update the shared school register from a GIAS establishment CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand

from partnerships.management.imports import run_import
from partnerships.services.members import school_register_import


class Command(BaseCommand):
    help = (
        "Create or update schools on the register from a 'Get Information about Schools' establishment CSV. "
        "All or nothing: if any row is bad, nothing is saved and every bad row is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file downloaded from Get Information about Schools")

    def handle(self, *args, path: str, **options):
        report = run_import(self, path, lambda data, name: school_register_import(actor=None, data=data, filename=name))
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {report.total} schools from {Path(path).name}: created {report.created}, "
                f"updated {report.updated}, unchanged {report.unchanged}, rejected 0"
            )
        )
