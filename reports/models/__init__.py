"""The reports app's data, one module per concept (governors' reports go in their own module beside it)."""

from reports.models.tokens import ApiToken

__all__ = ["ApiToken"]
