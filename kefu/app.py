"""FastAPI application factory: routers, error handlers, runtime lifespan, static front end."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute, APIWebSocketRoute
from fastapi.staticfiles import StaticFiles
from sqlalchemy import func, select, text
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from kefu import __version__
from kefu.analytics.alerts_api import router as alerts_router
from kefu.analytics.api import router as analytics_router
from kefu.analytics.metrics import QUEUED, MetricsMiddleware, render
from kefu.assist.api import router as assist_router
from kefu.bot.api import router as bot_router
from kefu.bot.flows.api import router as flows_router
from kefu.bot.service import install as install_bot
from kefu.channels.api import router as inboxes_router
from kefu.channels.email.api import router as email_router
from kefu.channels.widget import router as widget_router
from kefu.contacts.api import router as contacts_router
from kefu.conversations.api import router as conversations_router
from kefu.conversations.attachments_api import router as attachments_router
from kefu.conversations.models import Conversation
from kefu.core import gc_tuning
from kefu.core.context import Runtime, runtime_of
from kefu.core.errors import NotFound, error_body, install_error_handlers
from kefu.core.jobs import JobRunner
from kefu.core.logging import configure_logging
from kefu.core.settings import Settings, get_settings
from kefu.demo import demo_widget_key
from kefu.demo_api import router as demo_api_router
from kefu.jobs import ALL_JOBS
from kefu.knowledge.api import router as knowledge_router
from kefu.quality.api import router as quality_router
from kefu.realtime.api import router as realtime_router
from kefu.realtime.hub import Hub
from kefu.routing.api import all_routers as routing_routers
from kefu.routing.hooks import install as install_routing
from kefu.surveys.api import pages as survey_pages
from kefu.surveys.api import router as surveys_router
from kefu.tenants.api import router as tenants_router
from kefu.tickets.api import ROUTERS as ticket_routers
from kefu.webhooks.api import router as webhooks_router
from kefu.wfm.api import router as wfm_router

STATIC = Path(__file__).parent / "static"
ROUTERS = (
    tenants_router,
    inboxes_router,
    contacts_router,
    conversations_router,
    attachments_router,
    widget_router,
    realtime_router,
    knowledge_router,
    bot_router,
    flows_router,
    assist_router,
    surveys_router,
    survey_pages,
    demo_api_router,
    quality_router,
    analytics_router,
    alerts_router,
    *ticket_routers,
    email_router,
    wfm_router,
    webhooks_router,
    *routing_routers(),
)


class WidgetCORS:
    """CORS for the widget's API only: any site may call it (bearer tokens, no cookies);
    which sites may open a session is the inbox's `allowed_origins`, checked by the handlers."""

    PREFIXES = ("/api/v1/widget/", "/widget/")

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=["*"],
            allow_methods=["GET", "POST"],
            allow_headers=["authorization", "content-type", "accept-language"],
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.PREFIXES):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def create_app(settings: Settings | None = None, *, server: bool = False) -> FastAPI:
    """The application; `server=True` (what `kefu serve` runs) also tunes the garbage collector
    for a long-lived process once start-up is done."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        rt = Runtime.create(settings)
        hub = Hub(rt)
        app.state.runtime = rt
        app.state.hub = hub
        jobs = JobRunner(rt, ALL_JOBS)
        install_bot(rt)
        install_routing(rt)
        await rt.start()
        await hub.start()
        if not settings.scale_out:
            jobs.start()  # embedded mode: no separate `kefu worker`
        if server:
            gc_tuning.for_server()
        try:
            yield
        finally:
            await jobs.stop()
            await hub.stop()
            await rt.stop()

    app = FastAPI(title="kefu", version=__version__, lifespan=lifespan, docs_url="/docs")
    app.add_middleware(WidgetCORS)
    app.add_middleware(MetricsMiddleware)
    install_error_handlers(app)
    _add_routes(app, ROUTERS)
    _health(app)
    _front_end(app)
    return app


def _add_routes(app: FastAPI, routers: Iterable[APIRouter]) -> None:
    """Add every router's routes to the app itself, flat. `include_router` keeps each router as
    a nested matcher that is walked (twice) on every request: ~1 ms per request with our 27
    routers (docs/decisions/0004-message-path.md). Our routers carry their whole prefix, tags
    and settings on each route, and none nests another, so adding the routes loses nothing."""
    for router in routers:
        for route in router.routes:
            if not isinstance(route, APIRoute | APIWebSocketRoute):
                raise TypeError(f"nested or foreign route in a kefu router: {route!r}")
            app.router.routes.append(route)


def _health(app: FastAPI) -> None:
    @app.get("/healthz", tags=["ops"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/metrics", tags=["ops"], include_in_schema=False)
    async def metrics(request: Request) -> Response:
        """Prometheus exposition (no tenant data; protect it at the load balancer)."""
        async with runtime_of(request).db.read_sessions() as session:
            waiting = await session.execute(
                select(func.count())
                .select_from(Conversation)
                .where(Conversation.status == "queued")
            )
            QUEUED.set(int(waiting.scalar_one()))
        body, content_type = render()
        return Response(body, media_type=content_type)

    @app.get("/readyz", tags=["ops"])
    async def readyz(request: Request) -> JSONResponse:
        rt = runtime_of(request)
        try:
            async with rt.db.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            if rt.redis is not None:
                await rt.redis.ping()
        except Exception as exc:
            body = error_body(request, "not_ready", {"detail": type(exc).__name__})
            return JSONResponse(body, status_code=503)
        return JSONResponse({"status": "ready"})


def _front_end(app: FastAPI) -> None:
    widget_dir = STATIC / "widget"
    if widget_dir.is_dir():
        app.mount("/widget", StaticFiles(directory=widget_dir), name="widget")
    console_dir = STATIC / "console"
    demo_page = STATIC / "demo.html"

    @app.get("/demo", include_in_schema=False)
    async def demo(request: Request) -> HTMLResponse:
        """A sample shop page with the demo tenant's widget embedded."""
        async with runtime_of(request).db.sessions() as session:
            key = await demo_widget_key(session)
        if key is None:
            return HTMLResponse("<p>Run <code>kefu demo</code> first · 请先运行 kefu demo</p>", 404)
        page = await anyio.Path(demo_page).read_text(encoding="utf-8")
        return HTMLResponse(page.replace("{{WIDGET_KEY}}", html.escape(key, quote=True)))

    if console_dir.is_dir() and (console_dir / "index.html").exists():
        app.mount("/assets", StaticFiles(directory=console_dir / "assets"), name="assets")

        @app.get("/{path:path}", include_in_schema=False)
        async def console(path: str) -> FileResponse:
            if path.startswith("api/"):
                raise NotFound("resource")
            candidate = (console_dir / path).resolve()
            if path and candidate.is_file() and console_dir.resolve() in candidate.parents:
                return FileResponse(candidate)
            return FileResponse(console_dir / "index.html")
    else:

        @app.get("/", include_in_schema=False)
        async def placeholder() -> HTMLResponse:
            return HTMLResponse(
                "<!doctype html><title>kefu</title><h1>kefu 客服</h1>"
                "<p>API: <a href='/docs'>/docs</a> · <a href='/demo'>/demo</a></p>"
            )


def create_served_app() -> FastAPI:
    """The factory `kefu serve` hands to uvicorn (one call per worker process)."""
    return create_app(server=True)
