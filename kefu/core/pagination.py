"""Opaque keyset cursors: (timestamp, id) of the last row seen."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from kefu.core.errors import Invalid


@dataclass(frozen=True)
class Cursor:
    at: datetime
    id: uuid.UUID

    def encode(self) -> str:
        raw = json.dumps([self.at.isoformat(), str(self.id)]).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str | None) -> Cursor | None:
        if not value:
            return None
        try:
            padded = value + "=" * (-len(value) % 4)
            at, ident = json.loads(base64.urlsafe_b64decode(padded))
            return cls(datetime.fromisoformat(at), uuid.UUID(ident))
        except (ValueError, TypeError) as exc:
            raise Invalid(detail="cursor") from exc
