"""Reading CSV files about schools: the "Get Information about Schools" (GIAS) establishment extract,
and the January census figures a partnership collects from its members.

Only parsing and checking happens here; nothing is saved. Both readers look at every row and return
either clean rows or the full list of problems, each with the line number of the file it was found on
(line 1 is the heading row), so that an import can be all-or-nothing (see partnerships.services.members).

Encodings: GIAS downloads and spreadsheets saved by Excel arrive as UTF-8 (with or without a byte order
mark) or as Windows-1252 ("ANSI", a superset of the printable part of Latin-1). Both are accepted;
anything else (UTF-16 "Unicode text", Excel workbooks, other binary files) is refused with a message that
says how to save the file instead of being read as nonsense.

NumberOfPupils: GIAS gives a pupil headcount but no full-time equivalent, and a Census row needs both
(contributions such as "£2 per FTE pupil" read the FTE). Rather than invent an FTE from the headcount,
the GIAS import ignores NumberOfPupils; census figures come from the census form or the census CSV
(URN, Headcount, FTE), which always carry both.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from schools import validators
from schools.models import School

URN_MIN, URN_MAX = 100000, 999999


class FileRejected(Exception):
    """The file as a whole cannot be read (encoding, binary, empty, missing columns)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


@dataclass
class Parsed:
    rows: list = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------
# Reading the bytes


def decode(data: bytes) -> str:
    """The text of an uploaded CSV file, from UTF-8 (BOM or not) or Windows-1252. Raises FileRejected."""
    if not data or not data.strip():
        raise FileRejected("The file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRejected(
            "The file is saved as UTF-16 (\u201cUnicode text\u201d). Save it as \u201cCSV UTF-8\u201d and try again"
        )
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected(
            "The file is an Excel workbook, not a CSV file. Save it as \u201cCSV UTF-8\u201d and try again"
        )
    if b"\x00" in data:
        raise FileRejected("The file is not a CSV text file (it contains binary data)")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data[3:].decode("utf-8")
        except UnicodeDecodeError as error:
            raise FileRejected(
                f"The file says it is UTF-8 but byte {error.start + 4} is not valid UTF-8. Save it as "
                "\u201cCSV UTF-8\u201d and try again"
            ) from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise FileRejected(
                    "The file is not in a text encoding Commonroom can read (UTF-8 or Windows-1252). "
                    "Save it as \u201cCSV UTF-8\u201d and try again"
                ) from None
    if re.search(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
        raise FileRejected("The file is not a CSV text file (it contains control characters)")
    if not text.strip():
        raise FileRejected("The file is empty")
    return text


def _records(text: str):
    """(line number where the record starts, list of values) for every non-blank record; header first."""
    reader = csv.reader(io.StringIO(text, newline=""))
    previous = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FileRejected(f"Line {previous + 1}: the file cannot be read as CSV ({error})") from None
        start, previous = previous + 1, reader.line_num
        if any(value.strip() for value in values):
            yield start, values


def _table(text: str, *, required: tuple[str, ...], optional: tuple[str, ...], noun: str):
    """Check the heading row; yield (line, {column: value}) for the wanted columns of every row."""
    records = _records(text)
    try:
        _, header = next(records)
    except StopIteration:
        raise FileRejected("The file is empty") from None
    wanted = {name.casefold(): name for name in required + optional}
    positions: dict[str, int] = {}
    for index, heading in enumerate(header):
        key = heading.strip().lstrip("\ufeff").casefold()
        if key in wanted:
            name = wanted[key]
            if name in positions:
                raise FileRejected(f"The column \u201c{name}\u201d appears more than once in the heading row")
            positions[name] = index
    missing = [name for name in required if name not in positions]
    if missing:
        names = ", ".join(f"\u201c{name}\u201d" for name in missing)
        raise FileRejected(f"The heading row (line 1) is missing the column{'s' if len(missing) > 1 else ''} {names}")
    rows = 0
    for line, values in records:
        rows += 1
        yield line, {name: (values[index].strip() if index < len(values) else "") for name, index in positions.items()}
    if rows == 0:
        raise FileRejected(f"The file has a heading row but no {noun}")


def _shown(value: str) -> str:
    return value if len(value) <= 30 else value[:27] + "..."


def _urn(value: str) -> tuple[int | None, str | None]:
    if not value:
        return None, "the URN is missing"
    if not value.isdigit() or not value.isascii():
        return None, f"the URN \u201c{_shown(value)}\u201d is not a number"
    number = int(value)
    if not URN_MIN <= number <= URN_MAX:
        return None, f"the URN {_shown(value)} is not a 6-digit number from {URN_MIN} to {URN_MAX}"
    return number, None


# ---------------------------------------------------------------------------------------------------
# GIAS establishments

GIAS_REQUIRED = ("URN", "EstablishmentName", "TypeOfEstablishment (name)", "PhaseOfEducation (name)")
GIAS_OPTIONAL = (
    "ReligiousCharacter (name)",
    "LA (name)",
    "Street",
    "Town",
    "Postcode",
    "StatutoryLowAge",
    "StatutoryHighAge",
)
# column -> (School field, maximum length)
GIAS_FIELDS = {
    "EstablishmentName": ("name", 200),
    "TypeOfEstablishment (name)": ("type", 100),
    "ReligiousCharacter (name)": ("religious_character", 100),
    "LA (name)": ("local_authority", 100),
    "Street": ("street", 200),
    "Town": ("town", 100),
    "Postcode": ("postcode", 10),
}
FIELD_LABELS = {
    "name": "the name",
    "type": "the type of establishment",
    "religious_character": "the religious character",
    "local_authority": "the local authority",
    "street": "the street",
    "town": "the town",
    "postcode": "the postcode",
}

# GIAS "PhaseOfEducation (name)" -> School.Phase. GIAS has no sixth-form phase: "16 plus" colleges are
# recorded as secondary. "Primary" is refined to infant or junior from the age range or the name.
PHASES = {
    "nursery": School.Phase.NURSERY,
    "primary": School.Phase.PRIMARY,
    "middle deemed primary": School.Phase.MIDDLE,
    "middle deemed secondary": School.Phase.MIDDLE,
    "secondary": School.Phase.SECONDARY,
    "16 plus": School.Phase.SECONDARY,
    "all-through": School.Phase.ALL_THROUGH,
    "all through": School.Phase.ALL_THROUGH,
}
# Religious character values that mean "there is nothing to record".
NO_RELIGIOUS_CHARACTER = {"does not apply", "not applicable", "not applicable."}


@dataclass(frozen=True)
class Establishment:
    """One clean row of a GIAS file: the School fields it sets (only those whose column was present)."""

    line: int
    urn: int
    values: dict[str, str]


def phase_for(*, phase: str, type_name: str, name: str = "", low_age: str = "", high_age: str = "") -> str | None:
    """The School.Phase for a GIAS phase and type of establishment, or None when it cannot be told."""
    kind = type_name.casefold()
    if "pupil referral unit" in kind or "alternative provision" in kind:
        return School.Phase.PRU
    if "special" in kind:
        return School.Phase.SPECIAL
    mapped = PHASES.get(" ".join(phase.casefold().split()))
    if mapped != School.Phase.PRIMARY:
        return mapped
    if low_age.isdigit() and high_age.isdigit():
        low, high = int(low_age), int(high_age)
        if high <= 8:
            return School.Phase.INFANT
        if low >= 7:
            return School.Phase.JUNIOR
        return School.Phase.PRIMARY
    words = set(re.findall(r"[a-z]+", name.casefold()))
    infant = bool(words & {"infant", "infants"})
    junior = bool(words & {"junior", "juniors"})
    if infant and not junior:
        return School.Phase.INFANT
    if junior and not infant:
        return School.Phase.JUNIOR
    return School.Phase.PRIMARY


def parse_establishments(data: bytes) -> Parsed:
    """Every row of a GIAS establishment CSV, checked. Raises FileRejected when the file is unreadable."""
    result = Parsed()
    seen: dict[int, int] = {}
    for line, row in _table(decode(data), required=GIAS_REQUIRED, optional=GIAS_OPTIONAL, noun="schools"):
        problems: list[str] = []
        urn, problem = _urn(row["URN"])
        if problem:
            problems.append(problem)
        elif urn in seen:
            problems.append(f"the URN {urn} is also on line {seen[urn]}")
        else:
            seen[urn] = line
        values: dict[str, str] = {}
        for column, (name, limit) in GIAS_FIELDS.items():
            if column not in row:
                continue
            value = " ".join(row[column].split())
            if name == "religious_character" and value.casefold() in NO_RELIGIOUS_CHARACTER:
                value = ""
            if name == "postcode":
                value = value.upper()
            if len(value) > limit:
                problems.append(f"{FIELD_LABELS[name]} is longer than {limit} characters")
            values[name] = value
        if not values["name"]:
            problems.append("the school name (EstablishmentName) is empty")
        phase_name = row["PhaseOfEducation (name)"]
        phase = phase_for(
            phase=phase_name,
            type_name=values["type"],
            name=values["name"],
            low_age=row.get("StatutoryLowAge", ""),
            high_age=row.get("StatutoryHighAge", ""),
        )
        if phase is None:
            if not phase_name:
                problems.append("the phase of education is empty")
            elif phase_name.casefold() in {"not applicable", "not applicable."}:
                problems.append(
                    f"the phase is \u201cNot applicable\u201d and the type \u201c{_shown(values['type'])}\u201d "
                    "is not a special school or pupil referral unit, so its phase cannot be told"
                )
            else:
                problems.append(
                    f"the phase \u201c{_shown(phase_name)}\u201d is not a phase of education Commonroom knows"
                )
        else:
            values["phase"] = phase
        if problems:
            result.errors.append(RowError(line, "; ".join(problems)))
        else:
            result.rows.append(Establishment(line=line, urn=urn, values=values))
    return result


# ---------------------------------------------------------------------------------------------------
# Census figures

CENSUS_REQUIRED = ("URN", "Headcount", "FTE")


@dataclass(frozen=True)
class CensusRow:
    line: int
    urn: int
    headcount: int
    fte: Decimal


# Reading a cell is the CSV's own business; whether the number is allowed is schools.validators', with
# the same message as the census form and the census record service.


def headcount_problem(value: str) -> tuple[int | None, str | None]:
    if not value:
        return None, "the headcount is missing"
    text = value.replace(",", "")
    if not re.fullmatch(r"-?\d+", text) or not text.isascii():
        if re.fullmatch(r"-?\d*\.\d+", text):
            return None, f"the headcount {_shown(value)} is not a whole number of pupils"
        return None, f"the headcount \u201c{_shown(value)}\u201d is not a number"
    number = int(text)
    if problem := validators.headcount_problem(number):
        return None, f"{problem} (the file says {_shown(value)})"
    return number, None


def fte_problem(value: str, headcount: int | None) -> tuple[Decimal | None, str | None]:
    if not value:
        return None, "the FTE is missing"
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:
        return None, f"the FTE \u201c{_shown(value)}\u201d is not a number"
    if not number.is_finite():
        return None, f"the FTE \u201c{_shown(value)}\u201d is not a number"
    if problem := validators.fte_problem(number, headcount):
        return None, f"{problem} (the file says {_shown(value)})"
    return number.quantize(validators.FTE_STEP), None


def parse_census(data: bytes) -> Parsed:
    """Every row of a census CSV (URN, Headcount, FTE), checked. Raises FileRejected when unreadable."""
    result = Parsed()
    seen: dict[int, int] = {}
    for line, row in _table(decode(data), required=CENSUS_REQUIRED, optional=(), noun="census figures"):
        problems: list[str] = []
        urn, problem = _urn(row["URN"])
        if problem:
            problems.append(problem)
        elif urn in seen:
            problems.append(f"the URN {urn} is also on line {seen[urn]}")
        else:
            seen[urn] = line
        headcount, problem = headcount_problem(row["Headcount"])
        if problem:
            problems.append(problem)
        fte, problem = fte_problem(row["FTE"], headcount)
        if problem:
            problems.append(problem)
        if problems:
            result.errors.append(RowError(line, "; ".join(problems)))
        else:
            result.rows.append(CensusRow(line=line, urn=urn, headcount=headcount, fte=fte))
    return result
