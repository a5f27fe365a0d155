"""Starting templates for a partnership agreement, one per kind of agreement the partnerships run.

Each follows the headings of its source agreement (the seeds), in fresh wording that the coordinator
edits: a starting point, not a legal text. Each says who signs: the signatories differ by agreement.
Text uses the agreements' safe markup (partnerships/agreement_text.py).
"""

from dataclasses import dataclass

from partnerships.models import AgreementSection, SignatureBlock

K = AgreementSection.Key
S = SignatureBlock.Kind


@dataclass(frozen=True)
class AgreementTemplate:
    key: str
    label: str
    title: str
    sections: tuple[tuple[str, str, str], ...]  # (section key, heading, text)
    signatories: tuple[tuple[str, str], ...]  # (signature block kind, label)


EXETER = AgreementTemplate(
    key="learning_community",
    label="Learning community (Exeter Beacon)",
    title="Partnership agreement",
    sections=(
        (K.SCOPE_AND_MEMBERS, "1. Scope", "This agreement covers the schools listed as members of the partnership."),
        (
            K.PURPOSE_AND_PRINCIPLES,
            "2. Purpose and principles",
            "The schools work together so that every child and family in the community is better served "
            "than any one school could manage alone.\n\nDecisions are made openly, and every school has a voice.",
        ),
        (
            K.AIMS,
            "3. Overall aims",
            "- Share knowledge, resources and skills\n- Raise standards across the schools\n"
            "- Support children and families at every stage of their education",
        ),
        (
            K.STRATEGIC_MANAGEMENT,
            "4. Strategic management of the partnership",
            "The partnership meets every half term. A chair is elected each year and may serve for at most "
            "four consecutive years.\n\nA strategy group of the chair, the vice chair, two headteacher "
            "representatives (by termly rota) and the coordinator prepares decisions for the partnership. It "
            "includes primary and secondary schools.\n\nThe coordinator supports the chair and the groups, "
            "arranges meetings and drafts the partnership's reports.",
        ),
        (
            K.PARTICIPATION,
            "5. Partnership participation",
            "Each school agrees to:\n\n- be represented at partnership meetings (a deputy may attend instead)\n"
            "- take its turn on the strategy group\n- take part in at least three development areas\n"
            "- carry out the agreed development plan",
        ),
        (
            K.MONITORING_AND_EVALUATION,
            "6. Monitoring and evaluation",
            "Each school reviews its part in the development areas. The partnership reviews its work each "
            "year before the annual planning meeting.",
        ),
        (
            K.FUNDING,
            "7. Funding",
            "The partnership's funds are spent on the agreed plan and accounted for to the schools.",
        ),
        (K.GOVERNORS, "8. Governors", "Governing bodies receive regular reports on the partnership's progress."),
        (
            K.TERM,
            "9. Term of agreement",
            "This agreement runs for the period stated above and is reviewed before it ends.",
        ),
        (
            K.LEAVING,
            "10. Leaving",
            "A school that wishes to withdraw discusses the terms of its withdrawal with the strategy group.",
        ),
    ),
    signatories=((S.CHAIR_OF_GOVERNORS, "Chair of governors"), (S.HEADTEACHER, "Headteacher")),
)

HEART_OF_MANCHESTER = AgreementTemplate(
    key="schools_partnership",
    label="Schools' partnership with a banker school (Heart of Manchester)",
    title="Partnership agreement",
    sections=(
        (
            K.SCOPE_AND_MEMBERS,
            "Introduction and membership",
            "This agreement is between each member school and the partnership. The member schools are listed above.",
        ),
        (
            K.PURPOSE_AND_PRINCIPLES,
            "Principles",
            "- Every school is an equal partner\n- We share what works and learn from what does not\n"
            "- We act in the interests of all the partnership's children",
        ),
        (K.AIMS, "Our vision", "Children, staff and families gain from schools that work as one community."),
        (
            K.STRATEGIC_MANAGEMENT,
            "The strategic group",
            "The headteachers form the strategic group, which meets each half term and is chaired by the "
            "partnership's chairperson.\n\nStanding groups (the deputy and assistant heads network, the early "
            "years network, the business managers group) and task groups for an agreed period report to the "
            "strategic group.",
        ),
        (
            K.PARTICIPATION,
            "Taking part",
            "Schools send a representative to each meeting, take part in joint training days and attend the "
            "annual meeting of headteachers and chairs of governors.",
        ),
        (
            K.MONITORING_AND_EVALUATION,
            "Review",
            "The strategic group reviews the partnership's work each year.",
        ),
        (
            K.FUNDING,
            "Funding of the partnership",
            "- Each school pays **£2 per full-time-equivalent pupil** at the January census\n"
            "- Contributions are paid at the start of the financial year to the banker school, which keeps a "
            "portion for administration\n- The amount is reviewed each year",
        ),
        (
            K.GOVERNORS,
            "Governors",
            "The chairs of governors meet the headteachers once a year to review the partnership.",
        ),
        (K.TERM, "Term", "This agreement runs for the period stated above."),
        (
            K.LEAVING,
            "Leaving the partnership",
            "A school that leaves gives a term's notice in writing. Contributions already paid are not refunded.",
        ),
    ),
    signatories=(
        (S.HEADTEACHER, "Headteacher"),
        (S.CHAIR_OF_GOVERNORS, "Chair of governors"),
        (S.PARTNERSHIP_CHAIR, "Chairperson of the partnership"),
    ),
)

TERMS_OF_REFERENCE = AgreementTemplate(
    key="terms_of_reference",
    label="Terms of reference",
    title="Terms of reference",
    sections=(
        (K.SCOPE_AND_MEMBERS, "Members", "The partnership is made up of the member schools listed above."),
        (
            K.PURPOSE_AND_PRINCIPLES,
            "Purpose of the partnership",
            "The partnership exists so that its schools improve together, sharing expertise and costs.",
        ),
        (K.AIMS, "What schools can expect", "- Support and challenge from peers\n- Shared training\n- Shared costs"),
        (
            K.STRATEGIC_MANAGEMENT,
            "Meetings",
            "- At least three strategic meetings a year\n- Seven days' notice, with an agenda agreed in advance\n"
            "- A chair and a note-taker at each meeting; action points circulated afterwards\n"
            "- A quorum is needed for decisions",
        ),
        (
            K.PARTICIPATION,
            "Responsibilities",
            "Leaders give up to three hours a term to partnership work without charge. Members declare any "
            "pecuniary interests.",
        ),
        (
            K.MONITORING_AND_EVALUATION,
            "Information and reporting",
            "The partnership agrees, activity by activity, what information is shared and with whom. "
            "Pupil-level data is never stored.",
        ),
        (
            K.FUNDING,
            "Costs",
            "Costs are shared activity by activity, by school budget or by pupil numbers as agreed.",
        ),
        (K.GOVERNORS, "Governing bodies", "An annual partnership report is prepared for the governing bodies."),
        (K.TERM, "Review", "These terms are reviewed each year."),
        (K.LEAVING, "Leaving", "A school that wishes to leave tells the partnership in writing."),
    ),
    signatories=((S.HEADTEACHER, "Headteacher"),),
)

KENT = AgreementTemplate(
    key="pep_headteacher",
    label="Agreement for a Primary Excellence Project headteacher (Kent)",
    title="Agreement for the Primary Excellence Project headteacher",
    sections=(
        (
            K.SCOPE_AND_MEMBERS,
            "Scope",
            "This agreement sets out what each partner expects of the others in the Primary Excellence "
            "Project, for the schools listed above.",
        ),
        (
            K.PURPOSE_AND_PRINCIPLES,
            "Purpose",
            "The project headteacher brings educational expertise to the local partnership and challenges and "
            "supports its schools.",
        ),
        (
            K.AIMS,
            "Aims and outcomes",
            "- High achievement for every child in core subjects and the wider curriculum\n"
            "- Better attendance\n- Stronger leadership and teaching at all levels\n"
            "- Good transition between stages of learning",
        ),
        (
            K.STRATEGIC_MANAGEMENT,
            "Roles and line management",
            "The project headteacher is school improvement partner to up to ten schools, about a third of "
            "their time. Their performance is managed by a panel of three: the partnership manager, a "
            "headteacher of a school they do not partner, and external advice.",
        ),
        (
            K.PARTICIPATION,
            "Professional development",
            "The project headteacher takes part in the required induction and development days each year, "
            "and in a leadership programme of up to sixteen days.",
        ),
        (
            K.MONITORING_AND_EVALUATION,
            "Outcomes plan and review",
            "An individual outcomes plan with milestones is agreed. Notes of visit are visible only to the "
            "staff named. Progress is reviewed at the end of each academic year.",
        ),
        (K.FUNDING, "Funding", "The division funds the project headteacher's time as agreed."),
        (
            K.GOVERNORS,
            "Confidentiality",
            "Staff and pupil records seen in the work are kept confidential.",
        ),
        (K.TERM, "Term", "This agreement runs for the period stated above."),
        (K.LEAVING, "Ending the agreement", "Any partner may ask for the agreement to be reviewed."),
    ),
    signatories=(
        (S.OTHER, "For the partnership"),
        (S.OTHER, "For the local authority's division"),
        (S.OTHER, "The PEP headteacher"),
    ),
)

TEMPLATES = {t.key: t for t in (EXETER, HEART_OF_MANCHESTER, TERMS_OF_REFERENCE, KENT)}
TEMPLATE_CHOICES = [(t.key, t.label) for t in TEMPLATES.values()]
