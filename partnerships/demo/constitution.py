"""Demo data for the constitution, term dates and membership; called by load_demo for each seed partnership.

Each partnership's constitution is set from its own agreement (../shared/seeds), through the same
service the coordinator uses, so the seeds pass the same rules. Only the rules an agreement makes are set:
every other rule stays "not set by the agreement". Two schools are leaving with notice given.
"""

import datetime
import textwrap
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scope

from core.dates import has_ended, in_force
from partnerships.calendar import academic_year_of
from partnerships.models import Constitution, LeavingNotice, Membership
from partnerships.models.constitution import RULES as CONSTITUTION_RULES
from partnerships.models.constitution import SHARING_FIELDS, SharedWith
from partnerships.selectors.constitution import constitution_of
from partnerships.selectors.terms import terms_for_years
from partnerships.services.constitution import constitution_update
from partnerships.services.membership import leaving_notice_record
from schools.models import School

F = Constitution.Frequency
# Each school's staff, census, budget and contribution stay with the school, the coordinator and those
# who need them (the default): the agreements of Exeter Beacon, EducationKingston and the Kingston North
# template (which decides per activity) share none of them between schools, and Kent's forbids it.
_NOTHING_SHARED = {field: SharedWith.NOBODY_ELSE for field in SHARING_FIELDS.values()}

RULES: dict[str, dict] = {
    # Exeter Beacon Learning Community partnership agreement (2009-2011). It sets no notice of meetings, no
    # quorum and no leaving notice (a school wishing to withdraw renegotiates with the Strategy Group).
    "exeter-beacon": {
        "meeting_frequency": F.HALF_TERMLY,
        "chair_term_years": 1,
        "chair_max_consecutive_years": 4,
        "chair_must_be_headteacher": True,
        "strategy_head_reps": 2,
        "strategy_reserve_rotates": True,
        "strategy_needs_primary_and_secondary": True,
        "strategy_group_notes": "Chair, vice chair, two headteacher representatives on a termly rota and the "
        "Extended Schools' Coordinator. Each representative is supported by a reserve, who becomes the "
        "representative the next term. A senior manager such as a deputy headteacher may substitute for a "
        "headteacher, though it is preferable that the head attends. The Strategy Group meets at least "
        "half-termly, before the Partnership meeting.",
        **_NOTHING_SHARED,
        "development_area_target": 5,
        "development_area_minimum": 3,
        "information_sharing": "Schools submit the information the Partnership or the Extended Schools' "
        "Coordinator asks for, by the deadlines given. Papers for the Strategy Group's decisions are circulated "
        "before the Partnership meeting. Issues from individual schools are raised with the development "
        "coordinators and the Partnership through the Strategy Group. Governors receive reports on progress.",
    },
    # Heart of Manchester partnership agreement (8 schools). It sets nothing about the chair's term or
    # limit, nor how often the strategic group meets (only the standing groups "usually meet each half term").
    "heart-of-manchester": {
        # The strategic group is every school's headteacher: there are no representatives on a rota.
        "strategy_head_reps": 0,
        "strategy_group_notes": "The strategic group is the headteachers of the eight schools. The Deputy and "
        "Assistant Heads network, the EYFS network and the Office/Business Managers group are permanent "
        "standing groups; task groups work for a period the strategic group sets. All report to the "
        "strategic group.",
        # £2.00 per FTE pupil and the banker school's administration share are the financial year's
        # contribution scheme (finance.demo), not the constitution's.
        "banker_school": 990207,  # Rolls Crescent
        "leaving_notice_terms": 1,
        "leaver_contribution_refunded": False,
        # "We share accountability for ... the devolved finance": the heads of the strategic group see each
        # school's contribution, and so its January census figures, from which it is worked out. Budgets are
        # not needed and stay private. The standing networks (deputies, EYFS, business managers) are staff of
        # every school getting to know each other, so staff contacts are shared across the partnership.
        "share_staff_contacts": SharedWith.PARTNERSHIP,
        "share_census": SharedWith.HEADTEACHERS,
        "share_contributions": SharedWith.HEADTEACHERS,
        "information_sharing": "Governors receive a report on the partnership's work at each governors' meeting, "
        "usually through the headteacher's report. Headteachers and chairs of governors meet once a year on the "
        "partnership's strategic direction. Copies of each school's agreement are held by the partnership and "
        "by the school.\n"
        "The headteachers of the strategic group share accountability for the partnership's funds, so each "
        "school's contribution and the January census figures it comes from are shared with them. The staff "
        "networks work across the schools, so staff contact details are shared with everyone in the partnership.",
    },
    # Terms-of-reference template for a schools partnership.
    "kingston-north": {
        "meeting_frequency": F.MINIMUM_PER_YEAR,
        "min_meetings_per_year": 3,
        "notice_days": 7,
        "minutes_to_local_authority": True,  # "Notes of meetings are shared with the local authority"
        # The template asks "Quorum for meetings?" without answering it: no quorum is set.
        "strategy_group_notes": "Headteachers hold the strategic meetings, which set and review the focus of "
        "school improvement. Each meeting nominates a chair and a note-taker, who circulates the action points. "
        "Governors, teachers, support staff and pupils meet as the focus requires.",
        "cpd_free_hours_per_term": Decimal("3"),
        **_NOTHING_SHARED,
        "information_sharing": "Each activity states what information is shared with whom: for example school "
        "newsletters for Science week, but not 'best Y3 results in locality'. Notes of meetings are shared "
        "with the local authority. Confidentiality is kept as agreed for each activity.\n"
        "Data on individual pupils is shared only live at meetings (for example pupil books or tracking "
        "sheets) and is never stored or taken away by any other party.\n"
        "An annual partnership report is agreed and shared with each governing body.",
    },
    # EducationKingston subscription service (draft, 2011): schools subscribe; no partnership contributions.
    "education-kingston": {
        **_NOTHING_SHARED,
        "strategy_group_notes": "Headteacher partnership meetings, governors' partnership meetings and EK Forum "
        "meetings for full-subscription member schools.",
        "information_sharing": "Each school's assigned EducationKingston partner (EKP) reports termly to "
        "governors on the Joint Evaluation and Review. The Joint Annual Review is drafted by the EKP and "
        "confirmed by the headteacher before it is submitted to EducationKingston.",
    },
    # Kent agreement for a Primary Excellence Project headteacher across the LCSP.
    "swale-lcsp": {
        "strategy_group_notes": "The LCSP board. The PEP headteacher is school improvement partner for up to "
        "10 of the partnership's primary schools.",
        # "Access to records containing information relating to staff and individual pupils ... shall be
        # restricted": nothing of a school's own is shared beyond those who need it.
        **_NOTHING_SHARED,
        "information_sharing": "Access to records containing information about staff and individual pupils, "
        "kept to monitor this agreement, is restricted and not disclosed to any third party. The PEP "
        "headteacher's notes of visit are recorded and can be read only by identified LCSP and CFE staff.",
    },
}

# One school in each of two partnerships is leaving: (URN, who gave notice, when it arrived, how it was given).
# Whipton Barton wrote a letter; St Mary's emailed the strategic group (Heart of Manchester asks for
# notice "formally in writing"), and no copy of the email was attached.
LEAVERS = {
    "exeter-beacon": (
        990110,
        "Headteacher and chair of governors, Whipton Barton Junior School",
        "this_term",
        "letter",
    ),
    "heart-of-manchester": (
        990208,
        "Headteacher, St Mary's Church of England Primary School",
        "last_holiday",
        "email",
    ),
}


def load(partnership, spec: dict, admin) -> None:
    """Constitution from the agreement, term dates for this year and next, approvals, and leavers."""
    today = timezone.localdate()
    year = academic_year_of(today)
    terms = terms_for_years(partnership, year - 1, year + 1)
    with scope(partnership=partnership):
        _approvals(partnership)
        # Every rule the agreement does not make is not set, whatever an earlier load left.
        rules = dict.fromkeys(CONSTITUTION_RULES) | RULES.get(spec["slug"], {})
        if rules.get("banker_school"):
            rules["banker_school"] = School.objects.get(urn=rules["banker_school"])
        constitution_update(actor=admin, partnership=partnership, changes=rules, section="")
        if spec["slug"] in LEAVERS:
            _leaver(partnership, admin, terms, today, *LEAVERS[spec["slug"]])


def _approvals(partnership) -> None:
    """The founding members joined on signing the agreement: record that as their approval."""
    for membership in Membership.objects.filter(partnership=partnership, approved_on__isnull=True):
        membership.approved_on = membership.joined
        membership.approval_reference = "Founding member: signed the partnership agreement"
        membership.save(update_fields=["approved_on", "approval_reference"])


def _leaver(partnership, admin, terms, today, urn: int, given_by: str, when: str, method: str) -> None:
    membership = Membership.objects.filter(partnership=partnership, school__urn=urn).select_related("school").first()
    if membership is None or LeavingNotice.objects.filter(membership=membership).exists() or membership.left:
        return
    current = next((t for t in terms if in_force(t.starts, t.ends, today)), None)
    previous = [t for t in terms if has_ended(t.ends, today)][-1]
    if when == "this_term":
        term = current or previous
        received = min(today, term.starts + datetime.timedelta(days=21))
    else:  # the first Monday of the last holiday
        received = min(today, previous.ends + datetime.timedelta(days=3))
    # Where the agreement sets no notice period, the school leaves at the end of the term, as agreed.
    agreed = None
    if not constitution_of(partnership).is_set("leaving_notice_terms"):
        agreed = next(t.ends for t in terms if t.ends >= received)
    letter = None
    if method == LeavingNotice.Method.LETTER:
        letter = SimpleUploadedFile(
            "notice.pdf",
            _letter_pdf(
                [
                    f"To the strategic group of {partnership.name}",
                    "",
                    f"{membership.school.name} gives formal written notice that it will leave the partnership.",
                    "",
                    f"Signed: {given_by}",
                    f"Date: {received:%-d %B %Y}",
                ]
            ),
            content_type="application/pdf",
        )
    leaving_notice_record(
        actor=admin,
        membership=membership,
        received_on=received,
        method=method,
        given_by=given_by,
        letter=letter,
        notes="Demo notice.",
        leaving_on=agreed,
        today=today,
    )


def _letter_pdf(lines: list[str]) -> bytes:
    """A one-page PDF letter in Helvetica: enough for a demo download."""

    def text(line: str) -> str:
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    wrapped = [part for line in lines for part in (textwrap.wrap(line, 78) or [""])]
    stream = "BT /F1 12 Tf 72 770 Td 18 TL " + " ".join(f"({text(line)}) '" for line in wrapped) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        f"<< /Length {len(stream.encode('cp1252', 'replace'))} >>\nstream\n{stream}\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("cp1252", "replace")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
