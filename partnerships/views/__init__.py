"""Thin views, one module per part of the partnership's pages."""

from partnerships.views.people import HomeView

__all__ = ["HomeView"]
