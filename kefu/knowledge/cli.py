"""`kefu kb import|export|publish` for operators (the same rules as the API)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Literal, TypeVar

import typer

from kefu.core.auth import Principal
from kefu.core.context import Runtime
from kefu.core.settings import get_settings
from kefu.knowledge import service
from kefu.knowledge.transfer import parse_rows, read_table, write_table
from kefu.knowledge.views import export_rows

app = typer.Typer(help="Knowledge base: import, export, publish", no_args_is_help=True)
TenantOpt = Annotated[str, typer.Option("--tenant", help="tenant id")]


def _admin(tenant: str) -> Principal:
    try:
        return Principal(tenant_id=uuid.UUID(tenant), role="admin")
    except ValueError as exc:
        raise typer.BadParameter("not a tenant id", param_hint="--tenant") from exc


T = TypeVar("T")


async def _with_runtime(work: Callable[[Runtime], Awaitable[T]]) -> T:
    rt = Runtime.create(get_settings())
    try:
        return await work(rt)
    finally:
        await rt.stop()


@app.command("import")
def import_command(
    file: Path,
    tenant: TenantOpt,
    replace: Annotated[bool, typer.Option(help="replace the whole draft")] = False,
) -> None:
    """Import FAQs from .csv or .xlsx into the draft (all or nothing)."""
    parsed = parse_rows(read_table(file.name, file.read_bytes()))
    if parsed.errors:
        for e in parsed.errors[:50]:
            typer.echo(f"row {e.row}, column {e.column or '-'}: {e.reason}", err=True)
        typer.echo(f"{len(parsed.errors)} problems; nothing imported 未导入任何内容", err=True)
        raise typer.Exit(1)
    principal = _admin(tenant)

    async def work(rt: Runtime) -> str:
        async with rt.db.sessions() as session:
            result = await service.import_faqs(session, principal, parsed.faqs, replace=replace)
            await session.commit()
        return f"created {result.created}, updated {result.updated}"

    typer.echo(asyncio.run(_with_runtime(work)))


@app.command("export")
def export_command(
    tenant: TenantOpt,
    out: Annotated[Path, typer.Option("--out")] = Path("faqs.xlsx"),
) -> None:
    """Export the draft FAQs to .xlsx or .csv (by the file name)."""
    fmt: Literal["csv", "xlsx"] = "csv" if out.suffix.lower() == ".csv" else "xlsx"
    principal = _admin(tenant)

    async def work(rt: Runtime) -> int:
        async with rt.db.sessions() as session:
            rows = await export_rows(session, principal.tenant_id)
        out.write_bytes(write_table(fmt, rows))
        return len(rows)

    typer.echo(f"{asyncio.run(_with_runtime(work))} FAQs → {out}")


@app.command("publish")
def publish_command(tenant: TenantOpt, note: str = "") -> None:
    """Publish the draft as a new live version."""
    principal = _admin(tenant)

    async def work(rt: Runtime) -> int:
        async with rt.db.sessions() as session:
            version = await service.publish(session, rt, principal, note)
            await session.commit()
            return version.number

    typer.echo(f"version {asyncio.run(_with_runtime(work))} is live")
