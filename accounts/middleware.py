import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

_LAST_SEEN = "last_seen"
_SIGNED_IN_AT = "signed_in_at"


class IdleSessionTimeoutMiddleware:
    """Sign a person out after SESSION_IDLE_SECONDS without a request, and SESSION_COOKIE_AGE after
    signing in whatever they do. Django alone would push the cookie's expiry forward on every save,
    so the absolute limit is kept here from the first request after sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            last_seen = session.get(_LAST_SEEN)
            signed_in_at = session.setdefault(_SIGNED_IN_AT, now)
            idle = last_seen is not None and now - last_seen > settings.SESSION_IDLE_SECONDS
            if idle or now - signed_in_at > settings.SESSION_COOKIE_AGE:
                logout(request)
                messages.info(request, "You were signed out to keep your account safe. Please sign in again.")
                return redirect_to_login(request.get_full_path())
            # Write at most once a minute so most requests do not rewrite the session.
            if last_seen is None or now - last_seen >= 60:
                session[_LAST_SEEN] = now
        return self.get_response(request)
