"""The reports app's data, one module per concept."""

from reports.models.governors import GovernorsReport, ReportRun, ReportSettings, TermSummary
from reports.models.tokens import ApiToken

__all__ = ["ApiToken", "GovernorsReport", "ReportRun", "ReportSettings", "TermSummary"]
