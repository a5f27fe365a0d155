"""The reports app's data, one module per concept."""

from reports.models.annual import AnnualReport
from reports.models.governors import GovernorsReport, ReportRun, ReportSettings, TermSummary
from reports.models.tokens import ApiToken

__all__ = ["AnnualReport", "ApiToken", "GovernorsReport", "ReportRun", "ReportSettings", "TermSummary"]
