"""Password hashing (argon2), signed tokens (JWT) and random secrets.

What kefu signs with its secret key is signed with the current key only and verified with the
current key, then each previous one (`KEFU_SECRET_KEY_PREVIOUS`, as Django's
SECRET_KEY_FALLBACKS): a key rotation signs nobody out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kefu.core.db import utcnow

_hasher = PasswordHasher()
ALGORITHM = "HS256"


def configure_hasher(time_cost: int, memory_kib: int) -> None:
    """Argon2 cost; the defaults follow argon2-cffi's recommendation (RFC 9106 low-memory)."""
    global _hasher
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def random_token(nbytes: int = 32) -> str:
    """URL-safe random token; 32 bytes = 256 bits."""
    return secrets.token_urlsafe(nbytes)


def token_digest(token: str) -> str:
    """Stored form of a bearer secret: we keep only its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def hmac_hex(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def constant_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def hmac_matches(keys: Sequence[str], message: str, signature: str) -> bool:
    """`signature` is `hmac_hex` of `message` under one of `keys` (current first)."""
    return any(constant_equal(hmac_hex(key, message), signature) for key in keys)


def encode_jwt(secret: str, claims: dict[str, Any], ttl: int) -> str:
    now = utcnow()
    payload = {**claims, "iat": now, "exp": now + timedelta(seconds=ttl)}
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def decode_jwt(keys: Sequence[str], token: str) -> dict[str, Any] | None:
    """The claims of an unexpired token signed under one of `keys` (current first), else None."""
    for key in keys:
        try:
            claims: dict[str, Any] = jwt.decode(token, key, algorithms=[ALGORITHM])
        except jwt.PyJWTError:
            continue
        return claims
    return None
