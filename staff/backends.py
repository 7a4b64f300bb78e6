"""Login lockout for the admin: django-axes, limited to logins that come through a request."""

from axes.backends import AxesStandaloneBackend


class LoginLockoutBackend(AxesStandaloneBackend):
    """Count and block failed web logins; code that authenticates without a request is left
    to the next backend (axes would raise, which breaks ``Client.login`` and scripts)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
