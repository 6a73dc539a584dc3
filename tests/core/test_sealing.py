"""Sealed credentials (kefu/core/sealing.py): what is sealed opens again, a value sealed under
a key this process does not know reads as None, and values stored before sealing read as they
are. (The API tests of mailboxes and webhooks check the rows at rest.)"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet

from kefu.core.sealing import PREFIX, configure_sealing, seal, unseal
from kefu.core.settings import Settings


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
