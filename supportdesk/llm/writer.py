"""Prose from data with the configured LLM: an analysis run's executive summary, a long
thread's summary. The data goes inside the injection fence; every call is recorded."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from supportdesk.config import LLMSettings
from supportdesk.llm.agents import LazyAgent
from supportdesk.llm.calls import CallRecorder, record_call
from supportdesk.llm.client import run
from supportdesk.llm.fence import Fence
from supportdesk.llm.providers import LLMConfigError, build_model, resolve
from supportdesk.llm.resilience import error_outcome

if TYPE_CHECKING:
    from pydantic_ai import Agent
    from pydantic_ai.models import Model

log = logging.getLogger(__name__)


class Written(BaseModel):
    text: str = Field(description="The text asked for, plain sentences.", max_length=4000)


class ProseWriter:
    """Writes what `instructions` ask (which name the fence's lines as `{begin}` and
    `{end}`) from data placed between them. Raises when there is no valid answer: the
    caller keeps its offline text then."""

    def __init__(
        self,
        model: Callable[[], Model],
        *,
        provider: str,
        model_name: str,
        instructions: str,
        purpose: str,
        recorder: CallRecorder | None = None,
        timeout_seconds: float = 30.0,
    ) -> None:
        self._make_model = model
        self._agent = LazyAgent(self._build_agent)
        self.provider, self.model_name = provider, model_name
        self.name = f"{provider}:{model_name}"
        self.instructions, self.purpose = instructions, purpose
        self._record = functools.partial(record_call, recorder, provider, model_name)
        self.timeout_seconds = timeout_seconds

    async def write(self, data: str) -> str:
        fence = Fence()
        started = time.perf_counter()
        try:
            reply = await run(
                self._agent,
                f"{fence.begin}\n{data}\n{fence.end}",
                instructions=self.instructions.format(begin=fence.begin, end=fence.end),
                seconds=self.timeout_seconds,
            )
        except Exception as exc:
            await self._record(error_outcome(exc), started, error=f"{type(exc).__name__}: {exc}")
            raise
        await self._record("ok", started, tokens=reply.tokens)
        return reply.output.text.strip()

    def _build_agent(self) -> Agent[None, Written]:
        from pydantic_ai import Agent

        return Agent(
            self._make_model(),
            output_type=Written,
            retries={"output": 0},
            name=self.purpose,
        )


def prose_writer(
    settings: LLMSettings,
    recorder: CallRecorder,
    *,
    instructions: str,
    purpose: str,
    timeout_seconds: float,
) -> ProseWriter | None:
    """The configured LLM as a prose writer, or None (offline, or settings that cannot work)."""
    try:
        config = resolve(settings)
    except LLMConfigError as exc:
        log.warning("no LLM %s: %s", purpose, exc)
        return None
    if config is None:
        return None
    return ProseWriter(
        lambda: build_model(config),
        provider=config.provider,
        model_name=config.model,
        instructions=instructions,
        purpose=purpose,
        recorder=recorder,
        timeout_seconds=timeout_seconds,
    )
