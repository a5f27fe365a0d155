"""Demo data for this area; called by load_demo for each seed partnership."""


def load(partnership, spec: dict, admin) -> None:
    """Add this area's demo data to one partnership (idempotent). `spec` is its entry in partnerships/demo.py."""

