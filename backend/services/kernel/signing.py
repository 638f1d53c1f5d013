"""Signed, tamper-proof tokens for sessions, invitations and share links (itsdangerous)."""

from __future__ import annotations

from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from backend.services.kernel.errors import Gone, Invalid


def serializer(secret: bytes, purpose: str) -> URLSafeTimedSerializer:
    """A serializer whose signatures are valid only for one purpose."""
    return URLSafeTimedSerializer(secret, salt=f"tribewise.{purpose}")


def sign(secret: bytes, purpose: str, payload: Any) -> str:
    """A URL-safe signed token carrying the payload and the time it was made."""
    return serializer(secret, purpose).dumps(payload)


def unsign(secret: bytes, purpose: str, token: str, max_age: int | None = None) -> Any:
    """The payload of a token made by `sign`; a clear error when it was altered or is too old."""
    try:
        return serializer(secret, purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise Gone(f"this {purpose.replace('_', ' ')} link has expired; ask for a new one", field="token") from None
    except BadSignature:
        raise Invalid(
            f"this {purpose.replace('_', ' ')} link is not valid; copy the whole link, or ask for a new one",
            field="token",
        ) from None
