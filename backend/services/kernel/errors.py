"""Errors a service raises; the web layer turns each into a clear 4xx (or 503) answer."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any


class ServiceError(Exception):
    """A request that cannot be done as asked, with what was wrong and how to fix it."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None, allowed: Sequence[str] | None = None, **extra: Any):
        super().__init__(message)
        self.message = message
        self.field = field
        self.allowed = list(allowed) if allowed is not None else None
        self.extra = extra

    def headers(self) -> dict[str, str] | None:
        """The HTTP headers the refusal needs: when to try again, for a limit."""
        return {"Retry-After": str(self.extra["retry_after"])} if "retry_after" in self.extra else None

    def body(self) -> dict[str, Any]:
        """The JSON error body: status, detail and the specifics."""
        extra: dict[str, Any] = dict(self.extra)
        if self.field:
            extra["field"] = self.field
        if self.allowed is not None:
            extra["allowed"] = self.allowed
        return {"status_code": self.status_code, "detail": self.message, "extra": extra}


class Invalid(ServiceError):
    status_code = 400


class NotFound(ServiceError):
    status_code = 404


class Conflict(ServiceError):
    status_code = 409


class Unauthorised(ServiceError):
    status_code = 401


class Forbidden(ServiceError):
    status_code = 403


class Gone(ServiceError):
    status_code = 410


class TooManyRequests(ServiceError):
    status_code = 429

    @classmethod
    def until(
        cls, reason: str, oldest: datetime, window: timedelta, now: datetime, advice: str = ""
    ) -> TooManyRequests:
        """A refusal until the oldest attempt counted leaves the window: the wait in the message and as Retry-After."""
        wait = max(1, math.ceil((oldest + window - now).total_seconds()))
        return cls(f"{reason}; try again in {math.ceil(wait / 60)} minute(s){advice}", retry_after=wait)


class Unavailable(ServiceError):
    """The server cannot do it now through no fault of the request (a full disk): retry later."""

    status_code = 503
