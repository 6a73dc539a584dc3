"""Sealed credentials (kefu/core/sealing.py): what is sealed opens again, a value sealed under
a key this process does not know reads as None, and values stored before sealing read as they
are. (The API tests of mailboxes and webhooks check the rows at rest.)"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import String, select, type_coerce

from kefu.core.sealing import PREFIX, configure_sealing, derive_key, seal, sealed_anew, unseal
from kefu.core.sealing_db import reseal_all
from kefu.core.settings import Settings
from kefu.webhooks.models import Webhook
from tests.factories import Factory


@pytest.fixture(autouse=True)
def _test_servers_key_seals_again(settings: Settings) -> Iterator[None]:
    yield
    assert settings.secret_key is not None
    configure_sealing(settings.secret_key)  # the test server's runtime key is the newest again


def test_sealed_text_opens_again_and_hides_the_plain_text() -> None:
    configure_sealing("test-sealing-key")
    sealed = seal("imap-pa55 密码")
    assert sealed.startswith(PREFIX) and "pa55" not in sealed
    assert seal("imap-pa55 密码") != sealed  # a fresh nonce each time
    assert unseal(sealed) == "imap-pa55 密码"


def test_values_sealed_under_an_earlier_key_of_the_process_still_open() -> None:
    configure_sealing("key-one")
    sealed = seal("s3cret")
    configure_sealing("key-two")
    assert unseal(sealed) == "s3cret"


def test_unknown_key_reads_as_none_and_plain_values_pass() -> None:
    configure_sealing("test-sealing-key")
    foreign = PREFIX + Fernet(Fernet.generate_key()).encrypt(b"s3cret").decode()
    assert unseal(foreign) is None
    assert unseal("whsec_written_before_sealing") == "whsec_written_before_sealing"


def test_previous_keys_open_but_only_the_new_key_seals() -> None:
    configure_sealing("old-key")
    before = seal("imap-pa55")
    configure_sealing("new-key", previous=["old-key"])
    assert unseal(before) == "imap-pa55"
    after = sealed_anew(before)
    assert after is not None and after != before
    assert _opens_with("new-key", after) == "imap-pa55"
    assert _opens_with("old-key", after) is None
    assert _opens_with("new-key", seal("fresh")) == "fresh"
    assert _opens_with("new-key", sealed_anew("plain, stored before sealing") or "") == (
        "plain, stored before sealing"
    )
    foreign = PREFIX + Fernet(Fernet.generate_key()).encrypt(b"s3cret").decode()
    assert sealed_anew(foreign) is None


async def test_reseal_rewrites_every_stored_credential_under_the_new_key(
    factory: Factory, client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await factory.world()
    body = {"url": "https://hooks.example.com/kefu", "event_types": ["ticket.created"]}
    r = await client.post("/api/v1/webhooks", json=body, headers=world.admin.headers)
    assert r.status_code == 201, r.text
    hook_id, secret = uuid.UUID(r.json()["id"]), r.json()["secret"]
    assert settings.secret_key is not None
    configure_sealing("rotated-key", previous=[settings.secret_key])
    async with factory.rt.db.sessions() as session:
        report = await reseal_all(session)
        await session.commit()
    assert report.unreadable == 0 and report.resealed >= 1
    async with factory.rt.db.sessions() as session:
        raw = select(type_coerce(Webhook.secret, String())).where(Webhook.id == hook_id)
        stored = await session.scalar(raw)
    assert stored is not None and _opens_with("rotated-key", stored) == secret
    assert _opens_with(settings.secret_key, stored) is None  # the old key can now go


def _opens_with(secret_key: str, stored: str) -> str | None:
    """Open `stored` with one key alone (the process keeps every key it was given)."""
    try:
        return Fernet(derive_key(secret_key)).decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        return None
