"""`kefu demo`: the "Demo Shop" tenant with users, teams, a widget inbox and a few contacts."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.assist.schemas import QuickReplyIn
from kefu.assist.service import save_quick_reply
from kefu.bot.flows.demo import DEMO_FLOWS
from kefu.bot.flows.service import save_flow
from kefu.bot.live import Engines
from kefu.channels.models import Inbox
from kefu.channels.schemas import InboxIn
from kefu.channels.service import create_inbox
from kefu.contacts.models import Contact
from kefu.core.auth import Principal
from kefu.core.context import Runtime
from kefu.core.security import hash_password
from kefu.knowledge import repository as kb_repo
from kefu.knowledge import service as kb_service
from kefu.knowledge.schemas import CategoryIn, FaqIn
from kefu.tenants.models import Team, TeamMember, Tenant, User
from kefu.tenants.schemas import TeamIn
from kefu.tenants.service import create_team, create_tenant

TENANT = "Demo Shop"
USERS = [
    ("admin@demo.kefu.dev", "Ada Admin 管理员", "admin", None),
    ("supervisor@demo.kefu.dev", "Sam Supervisor 主管", "supervisor", None),
    ("agent1@demo.kefu.dev", "Li Na 李娜", "agent", "Pre-sales 售前"),
    ("agent2@demo.kefu.dev", "Wang Wei 王伟", "agent", "After-sales 售后"),
    ("agent3@demo.kefu.dev", "Emma Chen 陈艾玛", "agent", "After-sales 售后"),
]
TEAMS = [("Pre-sales 售前", ["presales", "zh", "en"]), ("After-sales 售后", ["returns", "repair"])]
CONTACTS = [
    ("张伟", "zhangwei@example.com", ["vip"]),
    ("Olivia Brown", "olivia@example.com", []),
    ("刘洋", None, ["new"]),
]


@dataclass
class DemoInfo:
    tenant: str
    widget_key: str
    password: str
    users: list[dict[str, str]] = field(default_factory=list)


async def _tenant(session: AsyncSession) -> Tenant:
    found = (await session.execute(select(Tenant).where(Tenant.name == TENANT))).scalars().first()
    return found or await create_tenant(session, TENANT)


async def _teams(session: AsyncSession, tenant: Tenant) -> dict[str, Team]:
    rows = (await session.execute(select(Team).where(Team.tenant_id == tenant.id))).scalars()
    teams = {t.name: t for t in rows}
    admin = Principal(tenant_id=tenant.id, role="admin")
    for name, skills in TEAMS:
        if name not in teams:
            teams[name] = await create_team(session, admin, TeamIn(name=name, skills=skills))
    return teams


async def _users(
    session: AsyncSession, tenant: Tenant, teams: dict[str, Team], password: str
) -> None:
    for email, name, role, team in USERS:
        if (await session.execute(select(User).where(User.email == email))).scalar():
            continue
        user = User(
            tenant_id=tenant.id,
            email=email,
            name=name,
            role=role,
            password_hash=hash_password(password),
            languages=["zh-CN", "en"],
            skills=[],
        )
        session.add(user)
        await session.flush()
        if team:
            session.add(TeamMember(team_id=teams[team].id, user_id=user.id, tenant_id=tenant.id))


async def _inbox(session: AsyncSession, tenant: Tenant) -> Inbox:
    found = (
        (await session.execute(select(Inbox).where(Inbox.tenant_id == tenant.id))).scalars().first()
    )
    if found:
        return found
    return await create_inbox(
        session,
        tenant.id,
        InboxIn(
            name="Demo Shop website 官网",
            allowed_origins=["http://127.0.0.1:8000", "http://localhost:8000"],
        ),
    )


async def _contacts(session: AsyncSession, tenant: Tenant) -> None:
    if (
        (await session.execute(select(Contact).where(Contact.tenant_id == tenant.id)))
        .scalars()
        .first()
    ):
        return
    for name, email, tags in CONTACTS:
        session.add(Contact(tenant_id=tenant.id, name=name, email=email, tags=tags))


DEMO_FAQS = Path(__file__).parent / "knowledge" / "data" / "demo_faqs.json"
QUICK_REPLIES = [
    ("hi", "Greeting 问候", "您好，我是客服，很高兴为您服务！ Hi, happy to help!"),
    ("wait", "Please wait 稍等", "请稍等，我帮您查询一下。 One moment please, let me check."),
    (
        "bye",
        "Closing 结束语",
        "感谢您的咨询，祝您购物愉快！ Thanks for contacting us, have a nice day!",
    ),
]


def _faq_in(item: dict[str, Any], category_id: uuid.UUID) -> FaqIn:
    return FaqIn(
        category_id=category_id,
        question_zh=item["question"]["zh-CN"],
        question_en=item["question"]["en"],
        similar_zh=item["similar"]["zh-CN"],
        similar_en=item["similar"]["en"],
        answer_zh=item["answer"]["zh-CN"],
        answer_en=item["answer"]["en"],
        tags=item.get("tags", []),
    )


async def _knowledge(session: AsyncSession, rt: Runtime, tenant: Tenant) -> bool:
    """The shop's bilingual FAQs, published once; True when this run published them."""
    if await kb_repo.live_version(session, tenant.id) is not None:
        return False
    admin = Principal(tenant_id=tenant.id, role="admin")
    items = json.loads(DEMO_FAQS.read_text(encoding="utf-8"))
    categories: dict[str, uuid.UUID] = {}
    for item in items:
        name = item["category"]
        if name not in categories:
            category = await kb_service.create_category(session, admin, CategoryIn(name=name))
            categories[name] = category.id
        await kb_service.save_faq(session, admin, _faq_in(item, categories[name]))
    await kb_service.publish(session, rt, admin, "Demo Shop FAQs 演示知识库")
    for flow in DEMO_FLOWS:
        await save_flow(session, tenant.id, flow)
    for shortcut, title, body in QUICK_REPLIES:
        await save_quick_reply(
            session, admin, QuickReplyIn(shortcut=shortcut, title=title, body=body)
        )
    return True


async def demo_widget_key(session: AsyncSession) -> str | None:
    stmt = (
        select(Inbox.widget_key)
        .join(Tenant, Tenant.id == Inbox.tenant_id)
        .where(Tenant.name == TENANT)
        .order_by(Inbox.created_at)
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def seed_demo(rt: Runtime, *, build_index: bool = True) -> DemoInfo:
    """Idempotent: running it twice leaves one demo tenant."""
    password = rt.settings.demo_password
    async with rt.db.sessions() as session:
        tenant = await _tenant(session)
        teams = await _teams(session, tenant)
        await _users(session, tenant, teams, password)
        inbox = await _inbox(session, tenant)
        inbox.settings = {**inbox.settings, "bot_enabled": True}
        await _contacts(session, tenant)
        await _knowledge(session, rt, tenant)
        await session.commit()
        tenant_id = tenant.id
        users = [{"email": e, "role": r} for e, _, r, _ in USERS]
        info = DemoInfo(tenant=TENANT, widget_key=inbox.widget_key, password=password, users=users)
    if build_index:
        await Engines.of(rt).for_tenant(rt, tenant_id)  # builds and stores the search index once
    return info
