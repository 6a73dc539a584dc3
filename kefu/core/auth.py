"""Principals and role checks shared by every domain."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from kefu.core.errors import Forbidden

Role = Literal["admin", "supervisor", "agent"]
ROLES: tuple[Role, ...] = ("admin", "supervisor", "agent")


@dataclass(frozen=True)
class Principal:
    """Who is calling: a user of a tenant, or a tenant's API key (acts as admin)."""

    tenant_id: uuid.UUID
    role: Role
    user_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None

    @property
    def is_manager(self) -> bool:
        """Admins and supervisors see every conversation of the tenant."""
        return self.role in ("admin", "supervisor")

    def require(self, *roles: Role) -> None:
        if self.role not in roles:
            raise Forbidden()


@dataclass(frozen=True)
class ContactPrincipal:
    """A customer authenticated by its contact token (widget)."""

    tenant_id: uuid.UUID
    contact_id: uuid.UUID
    inbox_id: uuid.UUID
