"""Small factories for LLM classifier tests."""

from dataclasses import dataclass, field
from typing import Any

from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    ToolCallPart,
    UserPromptPart,
)
from pydantic_ai.models import Model
from pydantic_ai.models.function import AgentInfo, FunctionModel

from supportdesk.llm import CallLog, CircuitBreaker
from supportdesk.triage.llm.classifier import LLMClassifier
from supportdesk.triage.rules import RuleClassifier

ANSWER = {
    "category": "technical",
    "priority": "high",
    "category_confidence": 0.92,
    "priority_confidence": 0.81,
    "reasoning": "The app crashes on every launch with no workaround.",
}


@dataclass
class Scripted:
    """A FunctionModel that answers `outputs` in turn and keeps what it was sent."""

    outputs: list[dict[str, Any]] = field(default_factory=lambda: [ANSWER])
    instructions: list[str | None] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)

    def __call__(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        self.instructions.append(info.instructions)
        self.prompts.append(user_text(messages))
        output = self.outputs[min(len(self.prompts), len(self.outputs)) - 1]
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, output)])

    def model(self) -> FunctionModel:
        return FunctionModel(self, model_name="scripted")


def user_text(messages: list[ModelMessage]) -> str:
    return "\n".join(
        str(part.content)
        for message in messages
        if isinstance(message, ModelRequest)
        for part in message.parts
        if isinstance(part, UserPromptPart)
    )


def llm(
    model: Model,
    *,
    log: CallLog | None = None,
    breaker: CircuitBreaker | None = None,
    **options: Any,
) -> LLMClassifier:
    return LLMClassifier(
        lambda: model,
        provider="fake",
        model_name=model.model_name,
        fallback=RuleClassifier(),
        recorder=log if log is not None else CallLog(),
        breaker=breaker,
        backoff_seconds=0.01,
        **options,
    )
