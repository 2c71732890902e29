"""One request to an LLM: `run` for a structured answer, `stream` for text as it is written.

Each is one attempt: the callers decide about retries (with `RetryPolicy`), the circuit
(`CircuitBreaker`) and fallbacks, since what to do without an answer is theirs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from supportdesk.llm.agents import LazyAgent

if TYPE_CHECKING:
    from pydantic_ai.settings import ModelSettings

T = TypeVar("T")
Tokens = tuple[int | None, int | None]

# Retrying is ours (backoff, breaker), so the SDK makes one attempt. A label and a sentence
# need no long reasoning: thinking off keeps the answer fast and cheap, and a small token
# cap keeps Anthropic's SDK from switching to streaming for the model's maximum output.
MODEL_SETTINGS: ModelSettings = {"max_retries": 0, "max_tokens": 1024, "thinking": False}


@dataclass(frozen=True)
class Reply(Generic[T]):
    output: T
    tokens: Tokens
    """Input and output tokens, as the provider reported them."""


async def run(agent: LazyAgent[T], prompt: str, *, instructions: str, seconds: float) -> Reply[T]:
    """The validated answer within `seconds` (the agent is built before they start).
    Raises whatever the provider or the validation raised: see `error_outcome`."""
    ready = await agent.get()
    async with asyncio.timeout(seconds):
        result = await ready.run(prompt, instructions=instructions, model_settings=MODEL_SETTINGS)
    usage = result.usage
    return Reply(result.output, (usage.input_tokens, usage.output_tokens))


async def stream(
    agent: LazyAgent[str],
    prompt: str,
    *,
    instructions: str,
    emit: Callable[[str], None],
    first_text_by: float,
    idle_seconds: float,
    deadline: float,
) -> Tokens:
    """Hands each piece of text to `emit` as it arrives. The first must come by
    `first_text_by`, each next one within `idle_seconds`, and the whole reply by `deadline`
    (times of the running loop's clock)."""
    ready = await agent.get()
    loop = asyncio.get_running_loop()
    async with asyncio.timeout_at(first_text_by) as wait:
        async with ready.run_stream(
            prompt, instructions=instructions, model_settings=MODEL_SETTINGS
        ) as result:
            async for delta in result.stream_text(delta=True, debounce_by=None):
                wait.reschedule(min(loop.time() + idle_seconds, deadline))
                if delta:
                    emit(delta)
            usage = result.usage
            return usage.input_tokens, usage.output_tokens
