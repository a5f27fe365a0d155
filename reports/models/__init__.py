from reports.models.governors import GovernorsReport, ReportRun, ReportSettings, TermSummary

__all__ = ["GovernorsReport", "ReportRun", "ReportSettings", "TermSummary"]
