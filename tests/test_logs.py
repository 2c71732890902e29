"""Every process logs in one format (time, level, logger, process, request id), app
messages included; LOG_FORMAT=json writes the same as one JSON object a line."""

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
from starlette.types import Receive, Scope, Send

from supportdesk.logs import JsonFormatter, RequestIdFilter
from supportdesk.middleware import RequestId
from tests.jobs.test_durability import free_port, wait_until_up

LINE = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (INFO|WARNING) [\w.]+ \[\d+\] (\S+) "


def test_an_app_message_is_logged_with_time_level_logger_and_process() -> None:
    program = (
        "import logging, logging.config\n"
        "from supportdesk.logs import log_config\n"
        "logging.config.dictConfig(log_config('INFO'))\n"
        "logging.getLogger('supportdesk.jobs').info('claimed job 7')\n"
        "logging.getLogger('procrastinate.worker').info('one line per job: not shown')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    (line,) = result.stderr.splitlines()  # procrastinate's INFO lines are left out
    assert re.fullmatch(LINE + "claimed job 7", line)
    assert " INFO supportdesk.jobs [" in line


def test_serve_logs_in_the_same_format(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'logs.db'}",
        "PORT": str(port),
        "STATIC_DIR": str(tmp_path),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "supportdesk.cli", "serve"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}")
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    started = [line for line in stderr.splitlines() if "Application startup complete." in line]
    assert len(started) == 1
    assert re.fullmatch(LINE + "Application startup complete.", started[0])


async def test_a_line_written_during_a_request_names_its_request_id() -> None:
    """Through the real middleware and the JSON format: what a handler logs names the
    request's id, the one its response carries."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("supportdesk.tests.request_id")
    logger.addHandler(handler)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        logger.warning("ticket 7 changed")
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    try:
        transport = httpx.ASGITransport(app=RequestId(app))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            answered = await client.get("/", headers={"X-Request-ID": "req-42"})
    finally:
        logger.removeHandler(handler)
    assert answered.headers["x-request-id"] == "req-42"
    logged = json.loads(stream.getvalue())
    assert logged["request_id"] == "req-42" and logged["message"] == "ticket 7 changed"
    assert logged["level"] == "WARNING" and logged["logger"] == "supportdesk.tests.request_id"
    assert isinstance(logged["process"], int) and logged["time"]
