"""One log format for every process (API, workers, CLI runners): time, level, logger,
process id. Without it, only warnings reached stderr, with none of these."""

from typing import Any, Literal

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"


def log_config(level: LogLevel) -> dict[str, Any]:
    """A logging.config.dictConfig dict, also given to uvicorn for each API process."""
    to_stderr = {"handlers": ["stderr"], "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": FORMAT}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "plain",
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
