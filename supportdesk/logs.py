"""One log format for every process (API, workers, CLI runners): time, level, logger,
process id and, while a request is handled, its request id (the `X-Request-ID` the
response carries). `LOG_FORMAT=json`: one JSON object a line, for log collectors."""

import json
import logging
from contextvars import ContextVar
from typing import Any, Literal

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
LogFormat = Literal["plain", "json"]

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d] %(request_id)s %(message)s"
# The request being handled on this task ("-": none, e.g. a job).
REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "process": record.process,
            "request_id": getattr(record, "request_id", REQUEST_ID.get()),
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def log_config(level: LogLevel, form: LogFormat = "plain") -> dict[str, Any]:
    """A logging.config.dictConfig dict, also given to uvicorn for each API process."""
    to_stderr = {"handlers": ["stderr"], "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {
            "plain": {"format": FORMAT},
            "json": {"()": JsonFormatter},
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": form,
                "filters": ["request_id"],
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "supportdesk": {**to_stderr, "level": level},
            "uvicorn": {**to_stderr, "level": level},
            "uvicorn.access": {**to_stderr, "level": level},
            # One line per job at INFO: only its warnings are worth a line here.
            "procrastinate": {**to_stderr, "level": "WARNING"},
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }
