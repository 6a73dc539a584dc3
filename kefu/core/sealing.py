"""Credentials kefu must use later (mailbox passwords, webhook signing secrets) are stored
sealed: encrypted and authenticated with a key derived from `KEFU_SECRET_KEY` (Fernet from the
`cryptography` package: AES-128-CBC + HMAC-SHA256). A copy of the database alone does not
reveal them.

`Sealed` is the column type: it seals on write and opens on read, so the code that uses a
password sees plain text. Rows written before sealing existed read back as they are and are
sealed on their next save. A value sealed under another secret key cannot be opened: it reads
as None and is logged, so the admin enters it again.

Rotating `KEFU_SECRET_KEY` without re-entering anything: start with the new key and the old one
in `KEFU_SECRET_KEY_PREVIOUS` (old keys open, only the newest seals), run `kefu secrets reseal`
(every stored value sealed again under the new key, `kefu.core.sealing_db`), then drop the old
key from the environment.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

PREFIX = "sealed:v1:"
log = logging.getLogger(__name__)
# Keys derived from the secret keys this process was configured with, newest first: one in
# production; a test process makes runtimes with several. The newest seals, any of them opens.
_keys: list[bytes] = []
_opener: MultiFernet | None = None


def configure_sealing(secret_key: str, previous: Sequence[str] = ()) -> None:
    """Derive the sealing keys from the process's secret key and the `previous` ones (keys in
    use before a rotation: they open, never seal). At start-up, with the hasher."""
    global _opener
    given = [derive_key(secret_key), *(derive_key(k) for k in previous)]
    _keys[:] = [*dict.fromkeys(given), *(k for k in _keys if k not in given)]
    _opener = MultiFernet([Fernet(k) for k in _keys])


def derive_key(secret_key: str) -> bytes:
    """The Fernet key that `secret_key` seals with."""
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"kefu sealed columns v1"
    ).derive(secret_key.encode())
    return base64.urlsafe_b64encode(derived)


def _configured() -> MultiFernet:
    if _opener is None:
        raise RuntimeError("sealing is not configured (kefu.core.sealing.configure_sealing)")
    return _opener


def seal(text: str) -> str:
    return PREFIX + _configured().encrypt(text.encode()).decode()  # with the newest key


def unseal(stored: str) -> str | None:
    """The plain text; None when it was sealed under another key."""
    if not stored.startswith(PREFIX):
        return stored  # written before sealing existed
    try:
        return _configured().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        log.error("a sealed credential cannot be opened: KEFU_SECRET_KEY changed? enter it again")
        return None


def sealed_anew(stored: str) -> str | None:
    """`stored` sealed under the newest key (plain values too); None when it cannot be opened."""
    if not stored.startswith(PREFIX):
        return seal(stored)
    try:
        return PREFIX + _configured().rotate(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        return None


class Sealed(TypeDecorator[str]):
    """A string column stored sealed (`length` is the stored size, not the plain text's)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else seal(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else unseal(value)
