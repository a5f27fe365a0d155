"""What the import commands share: read the file, run the all-or-nothing import, print each refusal."""

from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


def run_import(command: BaseCommand, path: str, do_import: Callable[[bytes, str], object]):
    """Call `do_import(data, filename)` with the file's bytes; on a refusal, write every message to
    stderr and stop with nothing imported. Returns the import's report."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}") from None
    try:
        return do_import(data, file.name)
    except ValidationError as error:
        for messages in error.message_dict.values():
            for message in messages:
                command.stderr.write(message)
        raise CommandError(f"Rejected {file.name}: nothing was imported") from None
