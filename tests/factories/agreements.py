"""A partnership ready to sign its agreement: member schools each with a headteacher and a chair of
governors, a partnership chair and a coordinator, and a published version whose copies are made (the
publish task runs in process in tests)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django_scopes import scopes_disabled

from partnerships.models import AgreementCopy, AgreementVersion, Partnership, SignatureBlock
from partnerships.roles import Role
from partnerships.services.agreements import agreement_draft_create, agreement_publish, agreement_signatories_set
from schools.models import School
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import MembershipFactory, PartnershipFactory, give_role

K = SignatureBlock.Kind
PASSWORD = "correct horse battery staple"
EXETER = [(K.HEADTEACHER, ""), (K.CHAIR_OF_GOVERNORS, "")]
MANCHESTER = [(K.HEADTEACHER, ""), (K.CHAIR_OF_GOVERNORS, ""), (K.PARTNERSHIP_CHAIR, "")]


@dataclass
class Signing:
    partnership: Partnership
    schools: list[School]
    coordinator: object
    chair: object
    heads: dict[int, object] = field(default_factory=dict)  # school pk -> user
    governors: dict[int, object] = field(default_factory=dict)  # school pk -> chair of governors
    version: AgreementVersion | None = None

    def copy(self, school: School, version: AgreementVersion | None = None) -> AgreementCopy:
        with scopes_disabled():
            return AgreementCopy.objects.select_related("version__partnership", "school").get(
                version=version or self.version, school=school
            )

    def block(self, kind: str, version: AgreementVersion | None = None) -> SignatureBlock:
        with scopes_disabled():
            return SignatureBlock.objects.get(version=version or self.version, kind=kind)


def _user(name: str):
    user = UserFactory(full_name=name)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def signing_partnership(
    *, name: str = "Heart of Manchester", schools: int = 2, blocks=MANCHESTER, publish: bool = True
) -> Signing:
    with scopes_disabled():
        partnership = PartnershipFactory(name=name, slug=name.lower().replace(" ", "-"))
        members = [MembershipFactory(partnership=partnership).school for _ in range(schools)]
        coordinator = _user(f"{name} Coordinator")
        give_role(coordinator, partnership, Role.COORDINATOR)
        chair = _user(f"{name} Chair")
        give_role(chair, partnership, Role.CHAIR)
        signing = Signing(partnership, members, coordinator, chair)
        for school in members:
            signing.heads[school.pk] = _user(f"Head of {school.name}")
            give_role(signing.heads[school.pk], partnership, Role.HEADTEACHER, school)
            signing.governors[school.pk] = _user(f"Chair of governors of {school.name}")
            give_role(signing.governors[school.pk], partnership, Role.CHAIR_OF_GOVERNORS, school)
        version = agreement_draft_create(
            actor=coordinator,
            partnership=partnership,
            template="schools_partnership",
            starts=datetime.date(2024, 9, 1),
            ends=datetime.date(2027, 8, 31),
        )
        agreement_signatories_set(actor=coordinator, version=version, blocks=list(blocks))
        if publish:
            agreement_publish(actor=coordinator, version=version)
        version.refresh_from_db()
        signing.version = version
    return signing
