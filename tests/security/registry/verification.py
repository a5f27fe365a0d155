"""Checking a signed copy of the agreement (partnerships/views/verification.py). The public pages by
identifier are outside /p/<slug>/ and listed in tests/security/urls.py."""

from partnerships.roles import Role

ALLOWED = {
    "agreement:verify": set(Role),  # view_partnership: anyone with a role may check a file
}
