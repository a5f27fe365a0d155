"""Factories for schools: the shared register (School, Census, Budget), a partnership's people at its
schools, and GIAS establishment files."""

import csv
import io
import itertools
from decimal import Decimal

import factory

from schools.models import Budget, Census, Person, School

_urn = itertools.count(100000)

GIAS_HEADER = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (name)",
    "PhaseOfEducation (name)",
    "ReligiousCharacter (name)",
    "Street",
    "Town",
    "Postcode",
    "NumberOfPupils",
]


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.LazyFunction(lambda: next(_urn))
    name = factory.Sequence(lambda n: f"School {n} Primary")
    phase = School.Phase.PRIMARY
    type = "Community school"
    local_authority = "Devon"


class CensusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Census

    school = factory.SubFactory(SchoolFactory)
    year = 2026
    headcount = 210
    fte = Decimal("204.5")


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    school = factory.SubFactory(SchoolFactory)
    financial_year = 2026
    amount = Decimal("1250000.00")


class PersonFactory(factory.django.DjangoModelFactory):
    """A person of a school in a partnership. Pass partnership and school; the school should be a member.

    Build it with scopes disabled (fixtures) or inside `scope(partnership=...)`."""

    class Meta:
        model = Person

    # By dotted path: the partnerships factories import this module.
    partnership = factory.SubFactory("tests.factories.partnerships.PartnershipFactory")
    school = factory.SubFactory(SchoolFactory)
    full_name = factory.Sequence(lambda n: f"Staff Member {n}")
    email = factory.Sequence(lambda n: f"staff{n}@school.example")
    position = Person.Position.TEACHER


def gias_row(urn, name, *, phase="Primary", kind="Community school", **extra) -> dict:
    """One row of a GIAS establishment file, with its real column names."""
    row = {
        "URN": str(urn),
        "LA (code)": "878",
        "LA (name)": "Devon",
        "EstablishmentName": name,
        "TypeOfEstablishment (name)": kind,
        "EstablishmentStatus (name)": "Open",
        "PhaseOfEducation (name)": phase,
        "ReligiousCharacter (name)": "Does not apply",
        "Street": "School Lane",
        "Town": "Exeter",
        "Postcode": "EX1 1AA",
        "NumberOfPupils": "210",
    }
    row.update(extra)
    return row


def csv_bytes(rows: list[dict], *, header: list[str] | None = None, encoding: str = "utf-8") -> bytes:
    """A CSV file as bytes: the header (by default the GIAS columns), then the rows."""
    header = header or (list(rows[0]) if rows else GIAS_HEADER)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)
