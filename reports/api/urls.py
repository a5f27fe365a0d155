"""The read API's URLs, mounted at /api/v1/ (config/urls.py): the endpoints under p/<slug>/ and the
OpenAPI description at /api/v1/openapi.json."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from reports.api.auth import TokenAuth
from reports.api.endpoints import router

api = NinjaAPI(
    title="Commonroom read API",
    version="1",
    description=(
        "A partnership's members, meetings and approved minutes, read with a personal token. A token acts "
        "with its holder's roles in force on the day, in its own partnership only."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,  # the description is the contract; a docs page would need a script from elsewhere
)
api.add_router("", router)


@api.exception_handler(AuthenticationError)
def _unauthorised(request, exc):
    return api.create_response(
        request, {"detail": "Send a live API token as 'Authorization: Bearer <token>'"}, status=401
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not found"}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return api.create_response(request, {"detail": "The query is not valid", "errors": exc.errors}, status=422)


# The tenant middleware leaves these URLs to TokenAuth: they are not signed in with a session.
urlpatterns = api.urls[0]
app_name = "api"
for pattern in urlpatterns:
    pattern.callback.tenant_by_bearer_token = True
