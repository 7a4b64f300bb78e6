"""What every request passes through first: its line in the log."""

import logging
import time

from .clients import client_address

logger = logging.getLogger("operations.requests")


class RequestLogMiddleware:
    """Log each request once, when its answer is ready: method, path, status, size, duration,
    user agent and client address, as fields of one JSON line (see log_format.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        status = response.status_code
        logger.log(
            logging.ERROR if status >= 500 else logging.INFO,
            "%s %s %s",
            request.method,
            request.path,
            status,
            extra={
                "method": request.method,
                "path": request.path,
                "query": request.META.get("QUERY_STRING", ""),
                "status": status,
                "bytes": None if response.streaming else len(response.content),
                "duration_ms": duration_ms,
                "user_agent": request.META.get("HTTP_USER_AGENT", ""),
                "client": client_address(request),
            },
        )
        return response
