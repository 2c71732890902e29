"""Every process logs in one format (time, level, logger, process, request id), app
messages included; LOG_FORMAT=json writes the same as one JSON object a line."""

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

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
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
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
        for _ in range(300):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz").is_success:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    started = [line for line in stderr.splitlines() if "Application startup complete." in line]
    assert len(started) == 1
    assert re.fullmatch(LINE + "Application startup complete.", started[0])


def test_a_line_written_during_a_request_names_its_request_id() -> None:
    program = (
        "import json, logging, logging.config\n"
        "from supportdesk.logs import REQUEST_ID, log_config\n"
        "logging.config.dictConfig(log_config('INFO', 'json'))\n"
        "REQUEST_ID.set('req-42')\n"
        "logging.getLogger('supportdesk.tickets').warning('ticket 7 changed')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    (line,) = result.stderr.splitlines()
    logged = json.loads(line)
    assert logged["request_id"] == "req-42" and logged["message"] == "ticket 7 changed"
    assert logged["level"] == "WARNING" and logged["logger"] == "supportdesk.tickets"
    assert isinstance(logged["process"], int) and logged["time"]
