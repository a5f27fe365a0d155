import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

_KEY = "last_seen"


class IdleSessionTimeoutMiddleware:
    """Sign a person out after SESSION_IDLE_SECONDS without a request; the absolute lifetime is
    SESSION_COOKIE_AGE, counted from sign-in because sessions are not refreshed on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(_KEY)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(request, "You were signed out because you had not used Commonroom for a while.")
                return redirect_to_login(request.get_full_path())
            # Write at most once a minute so most requests do not rewrite the session.
            if last_seen is None or now - last_seen >= 60:
                request.session[_KEY] = now
        return self.get_response(request)
