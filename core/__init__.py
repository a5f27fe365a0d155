"""Project-wide plumbing that knows no domain: GOV.UK forms and widgets, template tags, base views,
pagination, the registry of page panels and the test helpers every app shares.

Domain apps import from core; core imports none of them."""
