"""python manage.py import_gias PATH: update the shared school register from a GIAS establishment CSV."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from partnerships.services.members import school_register_import


class Command(BaseCommand):
    help = (
        "Create or update schools on the register from a 'Get Information about Schools' establishment CSV. "
        "All or nothing: if any row is bad, nothing is saved and every bad row is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file downloaded from Get Information about Schools")

    def handle(self, *args, path: str, **options):
        file = Path(path)
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}") from None
        try:
            report = school_register_import(actor=None, data=data, filename=file.name)
        except ValidationError as error:
            for messages in error.message_dict.values():
                for message in messages:
                    self.stderr.write(message)
            raise CommandError(f"Rejected {file.name}: nothing was imported") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {report.total} schools from {file.name}: created {report.created}, "
                f"updated {report.updated}, unchanged {report.unchanged}, rejected 0"
            )
        )
