"""Index builds run off the event loop: the server keeps answering while a publish builds the
index, a re-publish embeds only the phrasings that changed and updates the previous index, and
an index stored in an older format is rebuilt (from its stored embeddings, after an upgrade)."""

from __future__ import annotations

import asyncio
import threading
import uuid
from types import TracebackType

import httpx
import pytest
from sqlalchemy import select, update

from kefu.bot import serialise
from kefu.bot.embed import MODEL_LOCK, texts_embedded
from kefu.bot.live import Engines
from kefu.bot.serialise import FORMAT_VERSION, MAGIC, load_index
from kefu.bot.tasks import build_missing_indexes
from kefu.core.context import Runtime
from kefu.knowledge.models import KbVersion
from tests.bot.test_conversation_bot import REFUND, SHIPPING, ask, bot_reply, bot_world
from tests.conftest import LiveServer
from tests.factories import Factory, World

# Only turns a frozen event loop (the bug this guards against) into a failure instead of a hang;
# with the loop free the test releases the gate itself long before.
WATCHDOG_S = 120.0


class ModelGate:
    """Holds the embedding model, so that an index build waits mid-way until released."""

    def __init__(self) -> None:
        self.released_by_watchdog = False
        self._timer = threading.Timer(WATCHDOG_S, self._watchdog)

    def _watchdog(self) -> None:
        self.released_by_watchdog = True
        MODEL_LOCK.release()

    async def __aenter__(self) -> ModelGate:
        await asyncio.to_thread(MODEL_LOCK.acquire)
        self._timer.start()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._timer.cancel()
        if not self.released_by_watchdog:
            MODEL_LOCK.release()


def unique_faq(tag: str) -> dict[str, object]:
    """A FAQ no embedding cache has seen."""
    return {
        "question_zh": f"{tag} 型号的保修多久？",
        "question_en": f"How long is the warranty on model {tag}?",
        "similar_zh": [f"{tag} 保修期", f"{tag} 坏了能修吗"],
        "similar_en": [f"{tag} warranty", f"can {tag} be repaired"],
        "answer_zh": f"{tag} 保修两年。",
        "answer_en": f"{tag} has a two-year warranty.",
    }


async def wait_until_building(engines: Engines, tenant_id: uuid.UUID) -> None:
    for _ in range(3000):
        if engines.building(tenant_id):
            return
        await asyncio.sleep(0.01)
    raise AssertionError("no index build started after publishing")


async def test_server_answers_while_a_publish_builds_the_index(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    other = await bot_world(factory, client)
    other_visitor = await factory.visitor(other)
    first = await ask(factory, client, other_visitor, "什么时候发货")
    world = await bot_world(factory, client, publish=False)
    h = world.admin.headers
    tag = uuid.uuid4().hex[:8]
    assert (
        await client.post("/api/v1/kb/faqs", json=unique_faq(tag), headers=h)
    ).status_code == 201
    engines = Engines.of(server.runtime)
    async with ModelGate() as gate:
        assert (await client.post("/api/v1/kb/publish", json={}, headers=h)).status_code == 201
        await wait_until_building(engines, world.tenant_id)
        # The build now waits for the model the test holds; the server must keep serving.
        assert (await client.get("/healthz")).status_code == 200
        cid = first["conversation_id"]
        r = await client.get(f"/api/v1/conversations/{cid}", headers=other.admin.headers)
        assert r.status_code == 200
        # Another tenant's bot answers an exact phrasing (no model needed) meanwhile ...
        sent = await factory.contact_says(other_visitor, "退款几天到账")
        assert (await bot_reply(client, other_visitor, sent["seq"]))["body"] == REFUND["answer_zh"]
        # ... and a paraphrase waits for the model in a worker thread, not on the event loop.
        waiting = await factory.contact_says(other_visitor, "请问退款要几天才能到")
        assert (await client.get("/healthz")).status_code == 200
        assert engines.building(world.tenant_id), "the build cannot finish while gated"
        assert not gate.released_by_watchdog, "requests waited for the build"
    late = await bot_reply(client, other_visitor, waiting["seq"])
    assert late["body"] == REFUND["answer_zh"]
    visitor = await factory.visitor(world)
    reply = await ask(factory, client, visitor, f"{tag} 保修期多长时间")
    assert reply["body"] == f"{tag} 保修两年。"


async def republish_embeds(
    client: httpx.AsyncClient, server: LiveServer, tenant_id: uuid.UUID, h: dict[str, str]
) -> int:
    """Texts embedded by a re-publish after one FAQ gained one similar question (the index is
    updated from the previous one, not refit)."""
    faqs = (await client.get("/api/v1/kb/faqs", headers=h)).json()["items"]
    faq = faqs[0]
    body = {k: faq[k] for k in unique_faq("x")}
    body["similar_en"] = [*faq["similar_en"], f"new phrasing {uuid.uuid4().hex[:8]}"]
    assert (await client.put(f"/api/v1/kb/faqs/{faq['id']}", json=body, headers=h)).is_success
    before = texts_embedded()
    assert (await client.post("/api/v1/kb/publish", json={}, headers=h)).status_code == 201
    live = await Engines.of(server.runtime).for_tenant(server.runtime, tenant_id)  # waits
    assert live is not None
    assert live.engine.index.drift > 0, "updated from the previous index"
    return texts_embedded() - before


async def test_republish_embeds_only_changed_phrasings(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await bot_world(factory, client)
    h = world.admin.headers
    engines = Engines.of(server.runtime)
    await engines.for_tenant(server.runtime, world.tenant_id)
    assert await republish_embeds(client, server, world.tenant_id, h) == 1
    engines.forget(world.tenant_id)  # as in a process that never loaded the previous version
    assert await republish_embeds(client, server, world.tenant_id, h) == 1


async def built_version(server: LiveServer, world: World) -> uuid.UUID:
    """The id of the tenant's live version, once its index is built and stored."""
    live = await Engines.of(server.runtime).for_tenant(server.runtime, world.tenant_id)
    assert live is not None
    return live.version_id


async def stored_index(rt: Runtime, version_id: uuid.UUID) -> bytes:
    async with rt.db.sessions() as session:
        stmt = select(KbVersion.index_blob).where(KbVersion.id == version_id)
        blob = (await session.execute(stmt)).scalar_one()
    assert blob is not None
    return blob


async def replace_index(
    server: LiveServer, world: World, version_id: uuid.UUID, blob: bytes
) -> None:
    """Store other index bytes for the version, and forget its engine (as a process started
    after an upgrade, with nothing in memory)."""
    rt = server.runtime
    async with rt.db.sessions() as session:
        stmt = update(KbVersion).where(KbVersion.id == version_id).values(index_blob=blob)
        await session.execute(stmt)
        await session.commit()
    Engines.of(rt).forget(world.tenant_id)


OUTDATED = MAGIC + (FORMAT_VERSION - 1).to_bytes(2, "big") + b"an older pickle"


async def test_an_index_stored_by_an_older_kefu_is_rebuilt(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await bot_world(factory, client)
    version_id = await built_version(server, world)
    await replace_index(server, world, version_id, OUTDATED)
    visitor = await factory.visitor(world)
    reply = await ask(factory, client, visitor, "请问下单以后几天可以发货啊")
    assert reply["body"] == SHIPPING["answer_zh"]
    stored = await stored_index(server.runtime, version_id)
    assert load_index(stored).faqs, "the rebuilt index replaced the outdated bytes"


async def test_an_upgrade_rebuilds_indexes_without_embedding_again(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await bot_world(factory, client)
    version_id = await built_version(server, world)
    # The stored bytes become those of the format before this one (had it had the embeddings
    # section already), as a kefu upgraded since then finds them.
    monkeypatch.setattr(serialise, "EMBEDDINGS_SINCE", FORMAT_VERSION - 1)
    blob = await stored_index(server.runtime, version_id)
    older = MAGIC + (FORMAT_VERSION - 1).to_bytes(2, "big") + blob[len(MAGIC) + 2 :]
    await replace_index(server, world, version_id, older)
    before = texts_embedded()
    visitor = await factory.visitor(world)
    reply = await ask(factory, client, visitor, "请问下单以后几天可以发货啊")
    assert reply["body"] == SHIPPING["answer_zh"]
    assert texts_embedded() == before, "the stored embeddings served the rebuild"
    stored = await stored_index(server.runtime, version_id)
    assert load_index(stored).faqs, "stored again in the current format"


async def test_the_worker_builds_indexes_that_live_versions_lack(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await bot_world(factory, client)
    version_id = await built_version(server, world)
    await replace_index(server, world, version_id, OUTDATED)  # as found after an upgrade
    assert await build_missing_indexes(server.runtime, check_formats=True) >= 1
    stored = await stored_index(server.runtime, version_id)
    assert load_index(stored).faqs, "built and stored before any contact asked"
    async with server.runtime.db.sessions() as session:  # the building process stopped
        by_id = KbVersion.id == version_id
        await session.execute(update(KbVersion).where(by_id).values(index_blob=None))
        await session.commit()
    Engines.of(server.runtime).forget(world.tenant_id)
    assert await build_missing_indexes(server.runtime) >= 1  # a later run: no format reads
    assert load_index(await stored_index(server.runtime, version_id)).faqs
