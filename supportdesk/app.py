"""create_app(): routers, error handlers, the built web UI, and the process lifespan."""

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Match
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from supportdesk.analysis.router import router as analysis_router
from supportdesk.auth.access import Admin, Public, rule_statuses
from supportdesk.auth.router import router as auth_router
from supportdesk.config import Settings, get_settings
from supportdesk.conversations.portal import CustomerLinks
from supportdesk.conversations.router import router as conversations_router
from supportdesk.db import Database
from supportdesk.duplicates.router import router as duplicates_router
from supportdesk.errors import NotFound
from supportdesk.events.broker import BROKER
from supportdesk.events.router import router as events_router
from supportdesk.inbox.idle import MailboxWatcher
from supportdesk.inbox.listener import Listener
from supportdesk.inbox.router import WEBHOOK_PATH
from supportdesk.inbox.router import router as inbox_router
from supportdesk.jobs.registry import JobContext
from supportdesk.jobs.runtime import build_runner
from supportdesk.kept import KeptAnswers
from supportdesk.macros.router import router as macros_router
from supportdesk.middleware import RequestGuard, RequestId, RequestMetrics, SecurityHeaders
from supportdesk.observability import Readiness, readiness, scrape
from supportdesk.problems import document_problems, install_error_handlers
from supportdesk.sla.router import router as sla_router
from supportdesk.stats.router import router as stats_router
from supportdesk.tickets.router import router as tickets_router
from supportdesk.tickets.router import teams_router as assignment_router
from supportdesk.tickets.service import TicketTeams
from supportdesk.triage.engine import TriageEngine
from supportdesk.triage.given import GivenSuggestions
from supportdesk.triage.router import router as triage_router
from supportdesk.workflow.pipeline import setup_for
from supportdesk.workflow.router import app_drafter
from supportdesk.workflow.router import router as workflow_router
from supportdesk.workspace.router import router as workspace_router

log = logging.getLogger(__name__)
VERSION = "0.1.0"
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def _operation_id(route: APIRoute) -> str:
    return route.name


def warn_if_open(settings: Settings) -> None:
    if settings.auth.open_access:
        log.warning(
            "AUTH_OPEN_ACCESS is on: anyone who reaches this server acts as an admin, "
            "without signing in. Use it only for a trusted single-user install."
        )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        # A malformed routing file stops start-up here, with its line.
        app.state.team_names = frozenset(setup_for(settings).routing.teams)
        warn_if_open(settings)
        app.state.db = Database(settings.database_url)
        # What the `customer` access rule reads customers' private links with.
        app.state.customer_links = CustomerLinks(settings.conversations)
        # What the live event stream asks to pass each ticket's events to its team only.
        app.state.ticket_teams = TicketTeams(app.state.db)
        app.state.ticket_pages = KeptAnswers(max_bytes=settings.ticket_page_cache_mb * 2**20)
        app.state.ticket_answers = KeptAnswers(max_bytes=settings.ticket_answer_cache_mb * 2**20)
        app.state.triage = TriageEngine(settings, app.state.db, serves_requests=True)
        app.state.given_suggestions = GivenSuggestions()
        await app.state.triage.start()
        app.state.llm_drafter = app_drafter(settings, app.state.db)
        app.state.jobs = build_runner(JobContext(settings, app.state.db, app.state.triage))
        await app.state.jobs.start()
        listener = Listener(app.state.db, settings) if settings.email.listen else None
        if listener is not None:
            await listener.start()
        watcher = MailboxWatcher(app.state.db, settings) if settings.email.imap_host else None
        if watcher is not None:
            await watcher.start()
        if not settings.is_sqlite:
            await BROKER.listen(settings.database_url)
        # What start-up built (routes, schemas, SQLAlchemy metadata, model heads) lives as
        # long as the process: leave it out of the collector's full passes, which
        # otherwise stall every request in flight for tens of milliseconds now and then.
        gc.freeze()
        yield
        if listener is not None:
            await listener.stop()
        if watcher is not None:
            await watcher.stop()
        if not settings.is_sqlite:  # only an app that listened gives its listening up
            await BROKER.close()
        await app.state.jobs.stop()
        await app.state.triage.stop()
        await app.state.db.dispose()

    # The docs pages load Swagger UI and ReDoc from the installed package, not a CDN: the
    # product works offline, and so does /docs. No default response class: with none,
    # FastAPI writes a response model's JSON in Pydantic's Rust core in one step (measured:
    # the list's server CPU a request back to what hand-built dicts cost).
    app = FastAPIOffline(
        title="supportdesk",
        version=VERSION,
        description="AI-triaged support tickets.",
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        redirect_slashes=False,
    )
    install_error_handlers(app)
    # Routes are tried in order, each costing a match: the list and the ticket page, most
    # of what agents ask for, come first. No two routes' paths overlap, so order is all.
    app.include_router(tickets_router)
    app.include_router(workspace_router)
    app.include_router(analysis_router)
    app.include_router(auth_router)
    app.include_router(conversations_router)
    app.include_router(duplicates_router)
    app.include_router(events_router)
    app.include_router(inbox_router)
    app.include_router(macros_router)
    app.include_router(triage_router)
    app.include_router(sla_router)
    app.include_router(stats_router)
    app.include_router(assignment_router)
    app.include_router(workflow_router)

    @app.get("/healthz", tags=["health"], operation_id="health")
    @app.get("/health", include_in_schema=False)
    async def health(request: Request, _: Public) -> dict[str, str]:
        """Cheap: the process answers (no database)."""
        return {"status": "ok", "version": VERSION, "database": request.app.state.db.dialect}

    @app.get(
        "/readyz",
        tags=["health"],
        name="readiness",
        operation_id="readiness",
        response_model=Readiness,
        responses={503: {"model": Readiness, "description": "not ready: the checks say why"}},
    )
    async def ready(request: Request, _: Public) -> JSONResponse:
        """Whether this process can serve: database, migrations at head, model, job queue."""
        async with request.app.state.db.read_sessions() as session:
            checks = await readiness(
                session, not settings.is_sqlite, request.app.state.triage.local is not None
            )
        ok = all(result == "ok" for result in checks.values())
        body = Readiness(status="ready" if ok else "not ready", checks=checks)
        return JSONResponse(body.model_dump(), status_code=200 if ok else 503)

    @app.get("/metrics", include_in_schema=False, name="metrics")
    async def metrics(request: Request, _: Admin) -> Response:
        """Prometheus's text format (admins: an API token in the scrape's Authorization)."""
        async with request.app.state.db.read_sessions() as session:
            body = await scrape(session, not settings.is_sqlite)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    document_problems(app, rule_statuses(app))
    _serve_ui(app, settings.static_dir)
    app.add_middleware(RequestMetrics)  # innermost: it reads the route the router matched
    app.add_middleware(
        RequestGuard,
        max_body_bytes=settings.max_body_bytes,
        raw_body_paths=frozenset({WEBHOOK_PATH}),
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestId)
    return app


def _serve_ui(app: FastAPI, static_dir: Path) -> None:
    """The built React app at `/`; unknown non-API paths get index.html (client routing)."""
    assets = static_dir / "assets"
    if assets.is_dir():
        app.mount("/assets", StaticFiles(directory=assets), name="assets")
    index = static_dir / "index.html"

    @app.api_route("/{path:path}", methods=ALL_METHODS, include_in_schema=False)
    def ui(request: Request, path: str) -> Response:  # sync: it touches the filesystem
        api = path.split("/")[0] == "api"
        # A path the API serves, with a method it does not (it would have matched otherwise).
        # A GET outside /api is a page of the UI: no need to look.
        allowed = _methods_at(app, request.scope) if api or request.method != "GET" else set()
        if not api and index.is_file():
            allowed.add("GET")  # the UI answers GET at every path outside /api
        if allowed and request.method not in allowed:
            if "GET" in allowed:
                allowed.add("HEAD")
            headers = {"Allow": ", ".join(sorted(allowed))}
            raise HTTPException(405, f"{request.method} is not allowed here", headers)
        if request.method != "GET" or api or not index.is_file():
            raise NotFound(f"no such path: /{path}")
        candidate = (static_dir / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(static_dir.resolve()):
            return FileResponse(candidate)
        return FileResponse(index)


def _methods_at(app: FastAPI, scope: Scope) -> set[str]:
    """The methods the API serves at this request's path (the UI's catch-all route, which
    answers every other, left out)."""
    return {
        method
        for method in ALL_METHODS
        for route in app.router.routes
        if getattr(route, "name", None) != "ui"
        and route.matches({**scope, "method": method})[0] is Match.FULL
    }
