"""Demo agreements; called by load_demo.

Exeter Beacon's 2009-2011 agreement is version 1 (its "31st April 2011" read as 30 April), superseded
by a renewed version 2 in force now, with a changed section to compare; Heart of Manchester has its
current agreement; every other partnership its agreement from its seed's template and dates. A
partnership that has any version is left as it is, so loading twice changes nothing.
"""

import datetime

from partnerships.models import AgreementSection, AgreementVersion
from partnerships.services.agreements import (
    agreement_draft_create,
    agreement_publish,
    agreement_renew,
    agreement_section_update,
    agreement_term_set,
)

TEMPLATE_FOR = {
    "exeter-beacon": "learning_community",
    "heart-of-manchester": "schools_partnership",
    "swale-lcsp": "pep_headteacher",
}
EXETER_LEAVING = (
    "A school that wishes to withdraw discusses the terms of its withdrawal with the strategy group, "
    "giving **a term's notice** in writing.\n\n- Contributions already paid for the year are not refunded\n"
    "- The school's development areas are handed on to another member"
)


def load(partnership, spec, admin):
    if AgreementVersion.objects.filter(partnership=partnership).exists():
        return
    starts, ends = spec["agreement"]
    template = TEMPLATE_FOR.get(spec["slug"], "terms_of_reference")
    first = agreement_draft_create(actor=admin, partnership=partnership, template=template, starts=starts, ends=ends)
    agreement_publish(actor=admin, version=first)
    if spec["slug"] != "exeter-beacon":
        return
    renewal = agreement_renew(actor=admin, version=first)
    agreement_term_set(actor=admin, version=renewal, starts=datetime.date(2025, 9, 1), ends=datetime.date(2028, 8, 31))
    leaving = AgreementSection.objects.get(version=renewal, key=AgreementSection.Key.LEAVING)
    agreement_section_update(actor=admin, section=leaving, heading="10. Leaving the partnership", text=EXETER_LEAVING)
    agreement_publish(actor=admin, version=renewal)
