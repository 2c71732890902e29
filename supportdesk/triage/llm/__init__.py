"""An LLM behind the `Classifier` interface (alone, or asked only when the local model is
unsure), built on the shared LLM layer.

Importing this package does not import pydantic-ai or any provider SDK: the model is built
on the first call, so the app starts fast and offline.
"""

from supportdesk.config import LLMSettings
from supportdesk.llm import CallLog, CallRecorder, CircuitBreaker, build_model, resolve
from supportdesk.triage.base import Classifier
from supportdesk.triage.llm.classifier import LLMClassifier, LLMResult
from supportdesk.triage.llm.escalation import EscalatingClassifier

__all__ = ["EscalatingClassifier", "LLMClassifier", "LLMResult", "build_llm_classifier"]


def build_llm_classifier(
    settings: LLMSettings,
    local: Classifier,
    *,
    recorder: CallRecorder | None = None,
    breaker: CircuitBreaker | None = None,
    escalation_threshold: float | None = None,
) -> Classifier | None:
    """The configured LLM classifier falling back to `local`, or None when no provider is set.

    With `escalation_threshold`, `local` answers alone when it is at least that confident.
    Raises LLMConfigError for settings that cannot work (unknown provider, missing key).
    """
    config = resolve(settings)
    if config is None:
        return None
    llm = LLMClassifier(
        lambda: build_model(config),
        provider=config.provider,
        model_name=config.model,
        fallback=local,
        recorder=recorder if recorder is not None else CallLog(),
        breaker=breaker,
        timeout_seconds=settings.timeout_seconds,
        max_retries=settings.max_retries,
    )
    if escalation_threshold is None:
        return llm
    return EscalatingClassifier(local, llm, escalation_threshold)
