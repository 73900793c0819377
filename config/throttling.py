"""The API's request rate per client address (Django REST framework throttling).

A module of its own: DRF imports throttle classes while defining APIView, so this one
must not import DRF's views (config/rest.py does).
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class ApiRateThrottle(AnonRateThrottle):
    """Requests per client address; the rate is read from settings at each request."""

    scope = "api"

    def get_rate(self):
        return settings.API_THROTTLE_RATE or None

    def allow_request(self, request, view):
        # Re-read: tests and deployments change the setting without re-importing DRF.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
