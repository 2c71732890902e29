"""`run` and `stream`: one request each, within the time they are given."""

import asyncio
from collections.abc import AsyncIterator

from pydantic_ai import Agent
from pydantic_ai.messages import ModelMessage
from pydantic_ai.models.function import AgentInfo, FunctionModel
from pydantic_ai.models.test import TestModel

from supportdesk.llm import LazyAgent, run, stream


def text_agent(model: TestModel | FunctionModel) -> LazyAgent[str]:
    return LazyAgent(lambda: Agent(model, output_type=str))


async def test_run_returns_the_answer_and_its_tokens() -> None:
    reply = await run(
        text_agent(TestModel(custom_output_text="hello")), "hi", instructions="greet", seconds=5
    )
    assert reply.output == "hello"
    assert all(isinstance(count, int) and count > 0 for count in reply.tokens)


async def _chunks(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str]:
    for chunk in ("Hel", "lo ", "there"):
        yield chunk


async def _silent(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str]:
    await asyncio.sleep(5)
    yield "too late"


async def _stream(model: FunctionModel, first_text_within: float) -> list[str]:
    loop = asyncio.get_running_loop()
    pieces: list[str] = []
    try:
        await stream(
            text_agent(model),
            "hi",
            instructions="greet",
            emit=pieces.append,
            first_text_by=loop.time() + first_text_within,
            idle_seconds=5,
            deadline=loop.time() + 10,
        )
    except TimeoutError:
        pieces.append("<timed out>")
    return pieces


async def test_stream_hands_over_each_piece_as_it_arrives() -> None:
    pieces = await _stream(FunctionModel(stream_function=_chunks), first_text_within=5)
    assert pieces == ["Hel", "lo ", "there"]


async def test_stream_gives_up_when_the_first_text_is_late() -> None:
    pieces = await _stream(FunctionModel(stream_function=_silent), first_text_within=0.1)
    assert pieces == ["<timed out>"]
