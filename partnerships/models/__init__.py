"""The partnership's models, one module per part of its constitution."""

from partnerships.models.agreements import (
    AgreementCopy,
    AgreementMember,
    AgreementReminder,
    AgreementSection,
    AgreementSignature,
    AgreementVersion,
    SignatureBlock,
)
from partnerships.models.constitution import Constitution, Term
from partnerships.models.core import Membership, Partnership, RoleAssignment
from partnerships.models.development import (
    AreaParticipation,
    DevelopmentAction,
    DevelopmentArea,
    DevelopmentMilestone,
)
from partnerships.models.groups import Group, GroupMember
from partnerships.models.interests import Interest, InterestDeclaration, InterestReminder
from partnerships.models.membership import LeavingNotice
from partnerships.models.offices import Candidate, Election
from partnerships.models.strategy import RotaSeat, StrategyRota

__all__ = [
    "AgreementCopy",
    "AgreementReminder",
    "AgreementSignature",
    "AgreementMember",
    "AgreementSection",
    "AgreementVersion",
    "SignatureBlock",
    "AreaParticipation",
    "Candidate",
    "Constitution",
    "DevelopmentAction",
    "DevelopmentArea",
    "DevelopmentMilestone",
    "Election",
    "Group",
    "GroupMember",
    "Interest",
    "InterestDeclaration",
    "InterestReminder",
    "LeavingNotice",
    "Membership",
    "Partnership",
    "RoleAssignment",
    "RotaSeat",
    "StrategyRota",
    "Term",
]
