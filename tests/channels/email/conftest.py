"""Real mail servers on localhost: Debian's dovecot for IMAP (its own config, passwd-file user
and Maildir in a temp dir, non-privileged port) and aiosmtpd as the outbound SMTP relay."""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.conftest import free_port

FIXTURES = Path(__file__).parent / "fixtures"
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"

CONF = """protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
first_valid_uid = 0
default_internal_user = {internal}
default_login_user = {login}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


def fixture_bytes(name: str, **subst: str) -> bytes:
    raw = (FIXTURES / name).read_bytes()
    for key, value in subst.items():
        raw = raw.replace(f"{{{{{key}}}}}".encode(), value.encode())
    return raw


@dataclass
class Dovecot:
    root: Path
    port: int
    user: str
    password: str
    uid: int
    gid: int

    def deliver(self, raw: bytes) -> None:
        """Drop a message into the user's Maildir/new, as a local delivery agent would."""
        maildir = self.root / "mail" / self.user
        for sub in ("cur", "new", "tmp"):
            (maildir / sub).mkdir(parents=True, exist_ok=True)
            os.chown(maildir / sub, self.uid, self.gid)
        os.chown(maildir, self.uid, self.gid)
        name = f"{time.time_ns()}.{uuid.uuid4().hex}.kefu-test"
        tmp = maildir / "tmp" / name
        tmp.write_bytes(raw)
        os.chown(tmp, self.uid, self.gid)
        tmp.rename(maildir / "new" / name)


def _wait_listening(port: int) -> None:
    """Block until dovecot accepts connections (a readiness wait, not a timing assertion)."""
    for _ in range(200):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("dovecot did not start listening")


def _users() -> tuple[str, str, int, int]:
    """Dovecot's service users and the mail owner: Debian's when root, else ourselves."""
    if os.geteuid() == 0:
        mail = pwd.getpwnam("mail")
        return "dovecot", "dovenull", mail.pw_uid, mail.pw_gid
    me = pwd.getpwuid(os.geteuid())
    return me.pw_name, me.pw_name, me.pw_uid, me.pw_gid


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    if not Path(DOVECOT).exists():
        pytest.skip("dovecot is not installed (apt-get install -y dovecot-imapd; .ci/run does)")
    # not under pytest's tmp dir: its 0700 parents would lock dovecot's service users out
    root = Path(tempfile.mkdtemp(prefix="kefu-dovecot-"))
    root.chmod(0o755)
    internal, login, uid, gid = _users()
    (root / "mail").mkdir()
    os.chown(root / "mail", uid, gid)
    port = free_port()
    conf = root / "dovecot.conf"
    conf.write_text(
        CONF.format(
            root=root, port=port, internal=internal, login=login, mail_uid=uid, mail_gid=gid
        )
    )
    user, password = "support@shop.example.com", uuid.uuid4().hex
    (root / "passwd").write_text(f"{user}:{{PLAIN}}{password}\n")
    subprocess.run([DOVECOT, "-c", str(conf)], check=True)
    pidfile = root / "run" / "master.pid"
    _wait_listening(port)
    try:
        yield Dovecot(root, port, user, password, uid, gid)
    finally:
        if pidfile.exists():
            os.kill(int(pidfile.read_text().split()[0]), signal.SIGTERM)
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class Sink:
    """An SMTP server (aiosmtpd) that keeps what it is given."""

    port: int
    received: list[Any] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(envelope)
        return "250 OK"

    async def wait_for(self, count: int) -> list[Any]:
        for _ in range(200):  # bounded wait for a delivery that is already under way
            if len(self.received) >= count:
                break
            await asyncio.sleep(0.05)
        return self.received


@pytest_asyncio.fixture(loop_scope="session")
async def smtp_sink() -> AsyncIterator[Sink]:
    from aiosmtpd.smtp import SMTP

    sink = Sink(free_port())
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(sink, hostname="sink", decode_data=False), "127.0.0.1", sink.port
    )
    yield sink
    server.close()
    await server.wait_closed()
