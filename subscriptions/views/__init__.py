"""The subscription pages, one module per concept."""
