"""Every change with a rule goes through a service: one function per use case, atomic, audited.

One module per part of the partnership's business; import from the module, e.g.
`from partnerships.services.roles import role_start`.
"""

from partnerships.services.roles import (
    partnership_update_settings,
    role_end,
    role_start,
    role_validate,
)

__all__ = ["partnership_update_settings", "role_end", "role_start", "role_validate"]
