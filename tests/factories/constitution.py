"""Factories for this area (see tests/factories/__init__.py for the shared ones)."""
