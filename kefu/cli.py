"""The `kefu` command: serve, worker, db upgrade, demo, create-tenant, create-user, secrets."""

from __future__ import annotations

import asyncio
import json
import signal
from dataclasses import asdict
from typing import Annotated, NoReturn

import typer

from kefu.bot.cli import app as bot_app
from kefu.channels.email.cli import app as email_app
from kefu.core.errors import KefuError
from kefu.core.i18n import translate
from kefu.core.settings import get_settings
from kefu.knowledge.cli import app as kb_app
from kefu.wfm.cli import app as wfm_app

app = typer.Typer(
    help="kefu 客服 — intelligent customer service",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database migrations")
app.add_typer(db_app, name="db")
secrets_app = typer.Typer(help="Stored credentials (mailbox passwords, webhook secrets)")
app.add_typer(secrets_app, name="secrets")
app.add_typer(wfm_app, name="wfm", help="Workforce management: staffing, forecasts, simulation")
app.add_typer(kb_app, name="kb")
app.add_typer(bot_app, name="bot")
app.add_typer(email_app, name="email")


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[int, typer.Option(min=1)] = 1,
) -> None:
    """Serve the API, WebSockets and the web front end."""
    import uvicorn

    settings = get_settings()
    if workers > 1 and not settings.redis_url:
        typer.echo(
            "--workers > 1 needs KEFU_REDIS_URL (processes share events through Redis)", err=True
        )
        raise typer.Exit(2)
    if settings.redis_url and not settings.secret_key:
        typer.echo("KEFU_SECRET_KEY must be set in scale-out mode", err=True)
        raise typer.Exit(2)
    settings.resolved_secret_key()
    uvicorn.run(
        "kefu.app:create_served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level,
        ws_ping_interval=None,
        # chat frames are small: compressing each one for every socket costs more than it saves
        ws_per_message_deflate=False,
        # uvicorn waits for open responses before stopping; event streams (the ticket portal's
        # SSE) never finish by themselves, so they are cut after this grace; clients reconnect
        timeout_graceful_shutdown=5,
    )


@app.command()
def worker() -> None:
    """Run background jobs (SLA timers, idle timeouts, pruning) until stopped."""
    from kefu.core.context import Runtime
    from kefu.core.jobs import JobRunner
    from kefu.jobs import ALL_JOBS

    async def main() -> None:
        rt = Runtime.create(get_settings())
        runner = JobRunner(rt, ALL_JOBS)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await rt.start()
        runner.start()
        await stop.wait()
        await runner.stop()
        await rt.stop()

    asyncio.run(main())


@db_app.command("upgrade")
def db_upgrade(revision: str = "heads") -> None:
    """Apply database migrations."""
    from kefu.core.migrate import upgrade

    upgrade(get_settings().resolved_database_url(), revision)
    typer.echo("database is up to date")


@db_app.command("revision")
def db_revision(message: Annotated[str, typer.Option("-m")]) -> None:
    """(developers) Autogenerate a migration from the models."""
    from kefu.core.migrate import autogenerate

    autogenerate(get_settings().resolved_database_url(), message)


@secrets_app.command("reseal")
def secrets_reseal() -> None:
    """Seal every stored credential under KEFU_SECRET_KEY (after a rotation, with the old key in
    KEFU_SECRET_KEY_PREVIOUS); exits 1 if some value no configured key opens."""
    from kefu.core.context import Runtime
    from kefu.core.sealing_db import ResealReport, reseal_all

    async def main() -> ResealReport:
        rt = Runtime.create(get_settings())
        try:
            async with rt.db.sessions() as session:
                report = await reseal_all(session)
                await session.commit()
                return report
        finally:
            await rt.stop()

    report = asyncio.run(main())
    counts: dict[str, object] = {"resealed": report.resealed, "unreadable": report.unreadable}
    for lang in ("en", "zh-CN"):
        typer.echo(translate("secrets_resealed", lang, counts))
    if report.unreadable:
        fail(KefuError("secrets_unreadable"))


@app.command()
def demo(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    skip_index: Annotated[
        bool, typer.Option("--skip-index", help="don't build the bot's index now")
    ] = False,
) -> None:
    """Create (idempotently) the "Demo Shop" tenant and print its logins."""
    from kefu.core.context import Runtime
    from kefu.demo import seed_demo

    async def main() -> dict[str, object]:
        rt = Runtime.create(get_settings())
        try:
            return asdict(await seed_demo(rt, build_index=not skip_index))
        finally:
            await rt.stop()

    info = asyncio.run(main())
    if as_json:
        typer.echo(json.dumps(info, ensure_ascii=False))
        return
    typer.echo(f"Tenant 租户: {info['tenant']}   widget key: {info['widget_key']}")
    typer.echo(f"Password 密码 (all users): {info['password']}")
    for user in info["users"]:  # type: ignore[attr-defined]
        typer.echo(f"  {user['role']:<10} {user['email']}")
    typer.echo("Console 控制台: http://127.0.0.1:8000/   Widget demo: http://127.0.0.1:8000/demo")


@app.command("create-tenant")
def create_tenant_cmd(name: str, timezone: str = "Asia/Shanghai") -> None:
    """Create a tenant and print its id."""
    from kefu.core.context import Runtime
    from kefu.tenants.service import create_tenant

    async def main() -> str:
        rt = Runtime.create(get_settings())
        try:
            async with rt.db.sessions() as session:
                tenant = await create_tenant(session, name, timezone)
                await session.commit()
                return str(tenant.id)
        finally:
            await rt.stop()

    typer.echo(asyncio.run(main()))


@app.command("create-user")
def create_user_cmd(
    tenant_id: str,
    email: str,
    name: str,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
    role: str = "agent",
) -> None:
    """Create a user (admin / supervisor / agent) in a tenant."""
    import uuid

    from kefu.core.context import Runtime
    from kefu.tenants.schemas import UserCreateIn
    from kefu.tenants.service import create_user

    async def main() -> str:
        rt = Runtime.create(get_settings())
        try:
            async with rt.db.sessions() as session:
                data = UserCreateIn(email=email, name=name, password=password, role=role)
                user = await create_user(session, uuid.UUID(tenant_id), data)
                await session.commit()
                return str(user.id)
        finally:
            await rt.stop()

    try:
        typer.echo(asyncio.run(main()))
    except KefuError as exc:
        fail(exc)


def fail(exc: KefuError) -> NoReturn:
    """Print a domain error in both languages and exit non-zero."""
    for lang in ("en", "zh-CN"):
        typer.echo(translate(exc.code, lang, exc.params), err=True)
    raise typer.Exit(1)


if __name__ == "__main__":
    app()
