"""The LLM layer every feature shares: providers, call records, retries and the circuit
breaker, the prompt-injection fence, and `run` / `stream` for one request.

Features import from here only. Importing it does not import pydantic-ai or any provider
SDK: a model is built on the first call, so the app starts fast and offline.
"""

from supportdesk.llm.agents import LazyAgent
from supportdesk.llm.calls import (
    CallLog,
    CallRecord,
    CallRecorder,
    DatabaseCallRecorder,
    Outcome,
    record_call,
)
from supportdesk.llm.client import Reply, Tokens, run, stream
from supportdesk.llm.fence import MAX_TICKET_CHARS, Fence, defang
from supportdesk.llm.models import ProviderCall
from supportdesk.llm.providers import LLMConfigError, ProviderConfig, build_model, resolve
from supportdesk.llm.resilience import (
    CircuitBreaker,
    CircuitState,
    CircuitStatus,
    RetryPolicy,
    answered,
    describe_error,
    error_outcome,
    log_failure,
)
from supportdesk.llm.writer import ProseWriter, prose_writer

__all__ = [
    "MAX_TICKET_CHARS",
    "CallLog",
    "CallRecord",
    "CallRecorder",
    "CircuitBreaker",
    "CircuitState",
    "CircuitStatus",
    "DatabaseCallRecorder",
    "Fence",
    "LLMConfigError",
    "LazyAgent",
    "Outcome",
    "ProseWriter",
    "ProviderCall",
    "ProviderConfig",
    "Reply",
    "RetryPolicy",
    "Tokens",
    "answered",
    "build_model",
    "defang",
    "describe_error",
    "error_outcome",
    "log_failure",
    "prose_writer",
    "record_call",
    "resolve",
    "run",
    "stream",
]
