"""Benchmark a 14-school agreement PDF: the engine against WeasyPrint alone, and the seal.

Run from the repository root:

    .venv/bin/python benchmarks/agreement_pdf.py [--schools 14 --sections 10 --repeat 5]

It needs no database. Each round times, on the same agreement (one school's copy with three signature
blocks and every section a few paragraphs long):

    floor    WeasyPrint writing the agreement's HTML as PDF/UA-1 directly, through the static-only fetcher
    blank    blank_pdf: the safe fetcher, layout, PDF/UA-1, and the tagged signature fields (pyHanko)
    signed   signed_pdf: the copy with names, dates and the certificate page
    seal     seal: the partnership's PAdES seal over the signed copy (the certificate made beforehand)

and prints the medians and the ratios of blank and signed to the floor. It asserts nothing about time.
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=14)
    parser.add_argument("--sections", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    os.environ["COMMONROOM_TESTING"] = "true"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["PRIVATE_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="commonroom-benchmark-")
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()
    from django.utils.html import escape

    from partnerships.agreements.document import AgreementDocument, Block, Section, Signature, sha256
    from partnerships.agreements.fetch import html_document
    from partnerships.agreements.pdf import agreement_html, blank_pdf, signed_pdf
    from partnerships.agreements.seal import seal

    school = "Example Community Primary School 1"
    paragraph = escape("Each school agrees to take part in the partnership's work & to share what works. " * 6)
    doc = AgreementDocument(
        partnership_name="Example Learning Community",
        title="Partnership agreement",
        version_number=3,
        version_label="Renewed",
        starts=date(2026, 9, 1),
        ends=date(2029, 8, 31),
        school_name=school,
        school_urn="990101",
        members=[f"Example Community Primary School {n}" for n in range(1, args.schools + 1)],
        sections=[Section(f"Section {n}", f"<p>{paragraph}</p>" * 3) for n in range(1, args.sections + 1)],
        blocks=[
            Block("head", "Headteacher", school),
            Block("chair-governors", "Chair of governors", school),
            Block("chair", "Chairperson", "Example Learning Community"),
        ],
        identifier="BENCH-3-990101",
    )
    blank = blank_pdf(doc)  # warm up fonts and templates
    signatures = [
        Signature(b.key, f"Signer {n}", b.role_label, datetime(2026, 9, 1, 9, n, tzinfo=UTC), "203.0.113.1",
                  "Mozilla/5.0", "password", sha256(blank))
        for n, b in enumerate(doc.blocks)
    ]  # fmt: skip
    signed = signed_pdf(doc, signatures)
    seal(signed, partnership_slug="benchmark")  # the certificate is made once, outside the timing
    html = agreement_html(doc, [])

    def timed(function) -> float:
        start = time.perf_counter()
        function()
        return time.perf_counter() - start

    rounds = {"floor": [], "blank": [], "signed": [], "seal": []}
    for _ in range(args.repeat):
        rounds["floor"].append(timed(lambda: html_document(html).write_pdf(pdf_variant="pdf/ua-1")))
        rounds["blank"].append(timed(lambda: blank_pdf(doc)))
        rounds["signed"].append(timed(lambda: signed_pdf(doc, signatures)))
        rounds["seal"].append(timed(lambda: seal(signed, partnership_slug="benchmark")))
    medians = {name: statistics.median(times) for name, times in rounds.items()}
    print(f"Python {platform.python_version()}, {args.schools} schools, {args.sections} sections, {args.repeat} rounds")
    for name, value in medians.items():
        ratio = "" if name in ("floor", "seal") else f"  ({value / medians['floor']:.2f} x floor)"
        print(f"{name:>7}: {value * 1000:8.1f} ms{ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
