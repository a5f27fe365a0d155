"""The read API: a partnership's members, meetings and approved minutes as JSON, for a person's own
spreadsheet or tool, behind a token they make and revoke on their API tokens page (reports.models.tokens).

Built with django-ninja: each endpoint is a typed function whose pydantic schemas are both the answer's
shape and its OpenAPI description (served at /api/v1/openapi.json), and a query that does not match its
types is refused with a 422 before the function runs. A token acts with its holder's roles in force on
the day of each request, in the token's own partnership only: the same permissions as the pages
(request.tenant is a TenantContext), the same scoped querysets (the partnership's scope is active
while an endpoint runs). Nothing here writes.
"""
