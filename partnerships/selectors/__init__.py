"""Reads that pages share, one module per part: they never write and never import services."""
