from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRate(AnonRateThrottle):
    """DJANGO_API_ANON_RATE requests per client address (settings.API_ANON_RATE), read when
    asked rather than once at import, so a changed setting applies to the next request."""

    def get_rate(self):
        return settings.API_ANON_RATE
