"""SLA timers: policy choice, warnings and breaches once each (also across a restart and after
downtime), the pause while pending, escalation, the complaint SLA and follow-ups.

Time never decides these tests: the jobs are run with an explicit `now` far past the targets,
which is exactly what a process sees when it comes back after being down."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from kefu.core.context import Runtime
from kefu.tickets.tasks import run_followups, run_sla_timers
from tests.factories import Factory, World
from tests.tickets.helpers import contact, events_of, ticket

LATER = timedelta(days=30)


async def policy(client: httpx.AsyncClient, world: World, **body: Any) -> dict[str, Any]:
    body = {"name": "Standard", "first_response_minutes": 60, "resolution_minutes": 480, **body}
    r = await client.post("/api/v1/sla-policies", json=body, headers=world.admin.headers)
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


def ts(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def sla_events(factory: Factory, world: World) -> list[tuple[str, str, str]]:
    found = []
    for kind in ("ticket.sla_warning", "ticket.sla_breached"):
        for e in await events_of(factory, world, kind):
            found.append((kind, e["ticket"]["id"], e["clock"]))
    return sorted(found)


async def vip_policy(client: httpx.AsyncClient, w: World) -> dict[str, Any]:
    """The first policy: contacts tagged vip get a first response within 10 minutes."""
    match = {"contact_tags": ["vip"]}
    return await policy(client, w, name="VIP", position=0, match=match, first_response_minutes=10)


async def test_policy_choice_by_priority_type_and_contact_tag(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    w = await factory.world()
    vip = await vip_policy(client, w)
    urgent = await policy(client, w, name="Urgent", position=1, match={"priorities": ["urgent"]})
    default = await policy(client, w, name="Default", position=9)
    complaint = await policy(client, w, name="投诉", complaint=True, first_response_minutes=5)
    plain, tagged = await contact(client, w), await contact(client, w, tags=["vip"])
    assert (await ticket(client, w.agent, tagged))["sla"]["policy_id"] == vip["id"]
    t = await ticket(client, w.agent, plain, priority="urgent")
    assert t["sla"]["policy_id"] == urgent["id"]
    t2 = await ticket(client, w.agent, plain)
    assert t2["sla"]["policy_id"] == default["id"]
    # a complaint gets the complaint SLA even for a VIP; retyping re-targets the clocks
    c = await ticket(client, w.agent, tagged, type="complaint")
    assert c["sla"]["policy_id"] == complaint["id"]
    created = ts(c["created_at"])
    assert ts(c["sla"]["first_response_due_at"]) - created == timedelta(minutes=5)
    r = await client.patch(
        f"/api/v1/tickets/{t2['id']}", json={"priority": "urgent"}, headers=w.agent.headers
    )
    assert r.json()["sla"]["policy_id"] == urgent["id"]


async def test_warning_and_breach_fire_once_across_restart_and_downtime(
    factory: Factory, client: httpx.AsyncClient, settings: Any
) -> None:
    w = await factory.world()
    await policy(client, w, warn_percent=50)
    t = await ticket(client, w.agent, await contact(client, w), assignee_id=str(w.agent.user_id))
    rt = factory.rt
    due = ts(t["sla"]["first_response_due_at"])
    # half-way: the first-response warning only, to the assignee and the supervisor
    await run_sla_timers(rt, now=due - timedelta(minutes=29))
    await run_sla_timers(rt, now=due - timedelta(minutes=29))
    assert await sla_events(factory, w) == [("ticket.sla_warning", t["id"], "first_response")]
    warning = (await events_of(factory, w, "ticket.sla_warning"))[0]
    assert set(warning["recipients"]) == {str(w.agent.user_id), str(w.supervisor.user_id)}
    # the process goes down; a new one (own runtime, own engine) comes back 30 days later:
    # every overdue warning and breach fires once, however many times the job runs
    fresh = Runtime.create(settings)
    try:
        await run_sla_timers(fresh, now=due + LATER)
        await run_sla_timers(fresh, now=due + LATER)
    finally:
        await fresh.db.dispose()
    await run_sla_timers(rt, now=due + LATER)
    assert await sla_events(factory, w) == sorted(
        [
            ("ticket.sla_warning", t["id"], "first_response"),
            ("ticket.sla_warning", t["id"], "resolution"),
            ("ticket.sla_breached", t["id"], "first_response"),
            ("ticket.sla_breached", t["id"], "resolution"),
        ]
    )
    after = (await client.get(f"/api/v1/tickets/{t['id']}", headers=w.agent.headers)).json()
    assert after["sla"]["first_response_breached"] and after["sla"]["resolution_breached"]
    breached = await client.get(
        "/api/v1/tickets", params={"sla": "breached"}, headers=w.agent.headers
    )
    assert [x["id"] for x in breached.json()["items"]] == [t["id"]]


async def test_first_reply_stops_the_first_response_clock(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    w = await factory.world()
    await policy(client, w)
    t = await ticket(client, w.agent, await contact(client, w))
    r = await client.post(
        f"/api/v1/tickets/{t['id']}/comments", json={"body": "on it"}, headers=w.agent.headers
    )
    assert r.status_code == 201
    await run_sla_timers(factory.rt, now=ts(t["created_at"]) + timedelta(hours=2))
    assert await sla_events(factory, w) == []  # replied in time; resolution has 8 h


async def test_clock_pauses_while_pending_on_the_customer(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    w = await factory.world()
    await policy(client, w, first_response_minutes=None)
    t = await ticket(client, w.agent, await contact(client, w))
    url, h = f"/api/v1/tickets/{t['id']}", w.agent.headers
    assert t["sla"]["resolution_due_at"] is not None
    pending = (await client.patch(url, json={"status": "pending"}, headers=h)).json()
    assert pending["sla"]["resolution_due_at"] is None and pending["sla"]["resolution_paused"]
    await run_sla_timers(factory.rt, now=datetime.now(UTC) + LATER)
    assert await sla_events(factory, w) == []  # paused clocks never warn nor breach
    # the requester answers (on the signed page): the ticket reopens and the clock runs again
    link = (await client.get(f"{url}/portal-link", headers=h)).json()
    r = await client.post(
        f"/api/v1/portal/tickets/{link['token']}/replies", json={"body": "here is the receipt"}
    )
    assert r.status_code == 201 and r.json()["status"] == "open"
    resumed = (await client.get(url, headers=h)).json()
    assert ts(resumed["sla"]["resolution_due_at"]) > ts(t["sla"]["resolution_due_at"])
    solved = (await client.patch(url, json={"status": "solved"}, headers=h)).json()
    assert solved["sla"]["resolution_due_at"] is None
    await run_sla_timers(factory.rt, now=datetime.now(UTC) + LATER)
    assert await sla_events(factory, w) == []


async def test_breach_escalates(factory: Factory, client: httpx.AsyncClient) -> None:
    w = await factory.world()
    team = await client.post("/api/v1/teams", json={"name": "二线"}, headers=w.admin.headers)
    escalation = {
        "raise_priority": True,
        "team_id": team.json()["id"],
        "notify_user_ids": [str(w.admin.user_id)],
    }
    await policy(client, w, resolution_minutes=None, escalation=escalation)
    t = await ticket(
        client, w.agent, await contact(client, w), assignee_id=str(w.agent.user_id), priority="high"
    )
    await run_sla_timers(factory.rt, now=ts(t["created_at"]) + LATER)
    await run_sla_timers(factory.rt, now=ts(t["created_at"]) + LATER)
    after = (await client.get(f"/api/v1/tickets/{t['id']}", headers=w.agent.headers)).json()
    assert after["priority"] == "urgent" and after["team_id"] == team.json()["id"]
    assert after["assignee_id"] is None
    escalated = await events_of(factory, w, "ticket.escalated")
    assert len(escalated) == 1
    assert escalated[0]["actions"] == ["raise_priority", "reassign_team", "notify"]
    assert str(w.admin.user_id) in escalated[0]["recipients"]
    history = (
        await client.get(f"/api/v1/tickets/{t['id']}/history", headers=w.agent.headers)
    ).json()
    assert ("priority", "high", "urgent", "system") in [
        (c["field"], c["old"], c["new"], c["actor_type"]) for c in history
    ]


async def test_followup_fires_once(factory: Factory, client: httpx.AsyncClient) -> None:
    w = await factory.world()
    t = await ticket(client, w.agent, await contact(client, w), assignee_id=str(w.agent.user_id))
    url, h = f"/api/v1/tickets/{t['id']}", w.agent.headers
    at = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    bad = await client.patch(url, json={"follow_up_at": at}, headers=h)  # not being solved
    assert bad.status_code == 422
    r = await client.patch(
        url,
        json={"status": "solved", "follow_up_at": at, "follow_up_note": "回访满意度"},
        headers=h,
    )
    assert r.status_code == 200, r.text
    await run_followups(factory.rt)  # not due yet
    assert await events_of(factory, w, "ticket.followup_due") == []
    later = datetime.now(UTC) + timedelta(days=4)
    await run_followups(factory.rt, now=later)
    await run_followups(factory.rt, now=later)
    due = await events_of(factory, w, "ticket.followup_due")
    assert len(due) == 1 and due[0]["note"] == "回访满意度"
    assert due[0]["recipients"] == [str(w.agent.user_id)]
    tasks = (await client.get(f"{url}/followups", headers=h)).json()
    done = await client.post(f"/api/v1/ticket-followups/{tasks[0]['id']}/done", headers=h)
    assert done.json()["done_at"] is not None


async def test_targets_count_the_tenants_business_hours(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    w = await factory.world()  # the tenant's time zone is Asia/Shanghai
    hours = {
        "enabled": True,
        "weekly": {str(d): [{"start": "09:00", "end": "18:00"}] for d in range(5)},
        "holidays": [],
        "workdays": [],
    }
    r = await client.put("/api/v1/business-hours", json=hours, headers=w.admin.headers)
    assert r.status_code == 200, r.text
    await policy(
        client,
        w,
        name="Office",
        match={"priorities": ["normal"]},
        first_response_minutes=600,
        resolution_minutes=None,
    )
    await policy(
        client,
        w,
        name="24/7",
        match={"priorities": ["urgent"]},
        first_response_minutes=600,
        calendar={"always_open": True},
    )
    rid = await contact(client, w)
    office = await ticket(client, w.agent, rid)
    nonstop = await ticket(client, w.agent, rid, priority="urgent")
    created = ts(nonstop["created_at"])
    assert ts(nonstop["sla"]["first_response_due_at"]) - created == timedelta(hours=10)
    # 10 working hours are more than a 9-hour office day: at least one night passes
    due = ts(office["sla"]["first_response_due_at"]).astimezone(ZoneInfo("Asia/Shanghai"))
    assert due - ts(office["created_at"]) > timedelta(hours=10)
    assert due.weekday() < 5 and time(9) < due.time() <= time(18)


async def test_followup_on_an_already_solved_ticket(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    w = await factory.world()
    t = await ticket(client, w.agent, await contact(client, w))
    url, h = f"/api/v1/tickets/{t['id']}", w.agent.headers
    await client.patch(url, json={"status": "solved"}, headers=h)
    at = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    r = await client.patch(url, json={"status": "solved", "follow_up_at": at}, headers=h)
    assert r.status_code == 200
    assert len((await client.get(f"{url}/followups", headers=h)).json()) == 1
    history = (await client.get(f"{url}/history", headers=h)).json()
    assert history[-1]["field"] == "follow_up_at"


async def test_deleting_a_policy_rematches_open_tickets(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    w = await factory.world()
    vip = await vip_policy(client, w)
    default = await policy(client, w, name="Default", position=9, first_response_minutes=60)
    tagged = await contact(client, w, tags=["vip"])
    open_one = await ticket(client, w.agent, tagged)
    done = await ticket(client, w.agent, tagged)
    url = f"/api/v1/tickets/{done['id']}"
    solved = (await client.patch(url, json={"status": "solved"}, headers=w.agent.headers)).json()
    assert open_one["sla"]["policy_id"] == solved["sla"]["policy_id"] == vip["id"]
    target = f"/api/v1/sla-policies/{vip['id']}"

    r = await client.delete(target, headers=w.agent.headers)
    assert r.status_code == 403  # admins only
    r = await client.delete(target, headers=w.admin.headers)
    assert r.status_code == 204
    listed = (await client.get("/api/v1/sla-policies", headers=w.admin.headers)).json()
    assert [p["id"] for p in listed] == [default["id"]]
    # the open ticket is timed by the policy that matches it now; the solved one by none
    now_open = (
        await client.get(f"/api/v1/tickets/{open_one['id']}", headers=w.agent.headers)
    ).json()
    assert now_open["sla"]["policy_id"] == default["id"]
    created = ts(now_open["created_at"])
    assert ts(now_open["sla"]["first_response_due_at"]) - created == timedelta(minutes=60)
    now_done = (await client.get(url, headers=w.agent.headers)).json()
    assert now_done["sla"]["policy_id"] is None
    # consoles learn the open ticket's new clock at once; the finished one did not change
    announced = [e for e in await events_of(factory, w, "ticket.updated") if e["fields"] == ["sla"]]
    assert [e["ticket"]["id"] for e in announced] == [open_one["id"]]
    assert announced[0]["ticket"]["sla"]["policy_id"] == default["id"]
    r = await client.delete(target, headers=w.admin.headers)
    assert r.status_code == 404 and r.json()["code"]
