"""A pydantic-ai agent built on first use, shared by every LLM caller (triage, drafts,
summaries)."""

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from pydantic_ai import Agent

T = TypeVar("T")


class LazyAgent(Generic[T]):
    """Building an agent imports pydantic-ai and the provider's SDK (seconds when cold):
    it happens once, on the first call, off the event loop, and before that call's
    timeout starts; concurrent first calls wait for the one build."""

    def __init__(self, build: "Callable[[], Agent[None, T]]") -> None:
        self._build = build
        self._agent: Agent[None, T] | None = None
        self._lock = asyncio.Lock()

    async def get(self) -> "Agent[None, T]":
        async with self._lock:
            if self._agent is None:
                self._agent = await asyncio.to_thread(self._build)
        return self._agent
