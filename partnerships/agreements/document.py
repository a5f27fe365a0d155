"""What an agreement PDF shows, as plain frozen data, so the engine needs no models or queries."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Section:
    """One section of the agreement. `html` is already-escaped safe markup from the section renderer."""

    heading: str
    html: str


@dataclass(frozen=True)
class Block:
    """A signature block: who signs (`role_label`, e.g. "Headteacher") for whom (`party`, a school or
    the partnership). `key` is unique in the document and names the PDF signature field."""

    key: str
    role_label: str
    party: str


@dataclass(frozen=True)
class AgreementDocument:
    partnership_name: str
    title: str
    version_number: int
    version_label: str
    starts: date
    ends: date | None  # None: no end date
    school_name: str
    school_urn: str
    members: list[str]
    sections: list[Section]
    blocks: list[Block]
    identifier: str  # printed in every footer and looked up by the public verification page

    def __post_init__(self):
        if self.ends is not None and self.ends < self.starts:
            raise ValueError("An agreement cannot end before it starts.")
        if not self.blocks:
            raise ValueError("An agreement needs at least one signature block.")
        keys = [block.key for block in self.blocks]
        if len(set(keys)) != len(keys):
            raise ValueError("Each signature block needs its own key.")


@dataclass(frozen=True)
class Signature:
    """One signer's signature as recorded when they signed in the app."""

    block_key: str
    name: str
    role_label: str
    signed_at: datetime
    ip: str
    user_agent: str
    method: str  # how they proved who they were at that moment, e.g. "password" or "two-factor code"
    document_sha256: str  # of the blank PDF they were shown


@dataclass(frozen=True)
class Verification:
    genuine: bool  # sealed by a partnership seal this installation trusts, and the seal is valid
    intact: bool  # nothing changed or added after sealing
    identifier: str = ""
    signer: str = ""  # the seal certificate's subject
    signed_at: datetime | None = None
    problems: list[str] = field(default_factory=list)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
