"""Factories for membership, term dates and the constitution (see tests/factories/__init__.py for the shared ones)."""

import datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from partnerships.models import Constitution, LeavingNotice, Term
from tests.factories import MembershipFactory, PartnershipFactory, UserFactory

D = datetime.date

# Explicit term dates (not the calendar's defaults), so tests read as dates a coordinator would enter.
TERM_DATES = {
    2025: [
        ("autumn", D(2025, 9, 3), D(2025, 10, 27), D(2025, 10, 31), D(2025, 12, 19)),
        ("spring", D(2026, 1, 5), D(2026, 2, 16), D(2026, 2, 20), D(2026, 3, 27)),
        ("summer", D(2026, 4, 13), D(2026, 5, 25), D(2026, 5, 29), D(2026, 7, 22)),
    ],
    2026: [
        ("autumn", D(2026, 9, 2), D(2026, 10, 26), D(2026, 10, 30), D(2026, 12, 18)),
        ("spring", D(2027, 1, 4), D(2027, 2, 15), D(2027, 2, 19), D(2027, 3, 26)),
        ("summer", D(2027, 4, 12), D(2027, 5, 31), D(2027, 6, 4), D(2027, 7, 21)),
    ],
}


def make_terms(partnership, years=(2025, 2026)) -> list[Term]:
    """The partnership's terms for the given academic years, with the dates in TERM_DATES."""
    terms = []
    for year in years:
        for name, starts, ht_starts, ht_ends, ends in TERM_DATES[year]:
            term, _ = Term.objects.update_or_create(
                partnership=partnership,
                academic_year=year,
                name=name,
                defaults={"starts": starts, "half_term_starts": ht_starts, "half_term_ends": ht_ends, "ends": ends},
            )
            terms.append(term)
    return terms


def term_form_data(year: int) -> dict[str, str]:
    """The term-dates form filled with TERM_DATES[year]."""
    data = {}
    for name, *dates in TERM_DATES[year]:
        for part, value in zip(("starts", "half_term_starts", "half_term_ends", "ends"), dates, strict=True):
            data[f"{name}_{part}"] = value.isoformat()
    return data


class ConstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Constitution

    partnership = factory.SubFactory(PartnershipFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Every partnership has its constitution from the start (partnership_create): set these rules on it.
        partnership = kwargs.pop("partnership")
        with scope(partnership=partnership):
            constitution, _ = model_class.objects.get_or_create(partnership=partnership)
            for field, value in kwargs.items():
                setattr(constitution, field, value)
            constitution.save()
        return constitution


class LeavingNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeavingNotice

    membership = factory.SubFactory(MembershipFactory)
    partnership = factory.SelfAttribute("membership.partnership")
    received_on = D(2025, 10, 1)
    given_by = "Sam Patel, headteacher"
    leaving_on = D(2026, 3, 27)
    recorded_by = factory.SubFactory(UserFactory)


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32


def docx_bytes(with_document: bool = True) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if with_document:
            archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name: str = "letter.pdf", content: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)
