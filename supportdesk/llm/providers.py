"""Which provider and model the settings name, and the pydantic-ai model that talks to it.

`resolve` only reads settings, so it is safe at startup; `build_model` imports pydantic-ai
and the provider's SDK, and runs on the first LLM call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from supportdesk.config import LLMSettings

if TYPE_CHECKING:
    from pydantic_ai.models import Model

DEFAULT_MODELS: dict[str, str | None] = {
    "anthropic": "claude-haiku-5-5",
    "openai": "gpt-6-luna",
    "gemini": "gemini-3.5-flash-lite",
    "groq": "openai/gpt-oss-120b",
    "openrouter": "openai/gpt-6-luna",
    # A local server serves whatever was pulled into it: there is no sensible default.
    "openai-compatible": None,
}
ALIASES = {"google": "gemini", "openai_compatible": "openai-compatible"}
KEYLESS = {"openai-compatible"}


class LLMConfigError(ValueError):
    """The LLM settings name a provider that cannot be used as configured."""


@dataclass(frozen=True)
class ProviderConfig:
    provider: str
    model: str
    api_key: str | None = None
    base_url: str | None = None


def resolve(settings: LLMSettings) -> ProviderConfig | None:
    """The provider to use, or None when none is configured."""
    if not settings.provider or not settings.provider.strip():
        return None
    provider = settings.provider.strip().lower()
    provider = ALIASES.get(provider, provider)
    if provider not in DEFAULT_MODELS:
        known = ", ".join(DEFAULT_MODELS)
        raise LLMConfigError(f"LLM_PROVIDER={settings.provider!r} is not one of: {known}")
    model = settings.model or DEFAULT_MODELS[provider]
    if not model:
        raise LLMConfigError(f"LLM_MODEL is required for LLM_PROVIDER={provider}")
    if provider == "openrouter" and "/" not in model:
        raise LLMConfigError(f"OpenRouter models are named vendor/model, e.g. openai/{model}")
    api_key = settings.api_key.get_secret_value() if settings.api_key else None
    if not api_key and provider not in KEYLESS:
        raise LLMConfigError(f"LLM_API_KEY is required for LLM_PROVIDER={provider}")
    if provider == "openai-compatible" and not settings.base_url:
        raise LLMConfigError("LLM_BASE_URL is required for LLM_PROVIDER=openai-compatible")
    return ProviderConfig(provider, model, api_key or None, settings.base_url or None)


def build_model(config: ProviderConfig) -> Model:
    """The pydantic-ai model for one provider. Imports happen here, not at startup."""
    key, url = config.api_key, config.base_url
    if config.provider == "anthropic":
        from pydantic_ai.models.anthropic import AnthropicModel
        from pydantic_ai.providers.anthropic import AnthropicProvider

        return AnthropicModel(config.model, provider=AnthropicProvider(api_key=key, base_url=url))
    if config.provider == "openai":
        from pydantic_ai.models.openai import OpenAIChatModel
        from pydantic_ai.providers.openai import OpenAIProvider

        return OpenAIChatModel(config.model, provider=OpenAIProvider(base_url=url, api_key=key))
    if config.provider == "openai-compatible":
        from pydantic_ai.models.openai import OpenAIChatModel
        from pydantic_ai.providers.openai_compatible import OpenAICompatibleProvider

        assert url is not None, "resolve() requires a base URL for openai-compatible"
        compatible = OpenAICompatibleProvider("openai-compatible", base_url=url, api_key=key)
        return OpenAIChatModel(config.model, provider=compatible)
    if config.provider == "gemini":
        from pydantic_ai.models.google import GoogleModel
        from pydantic_ai.providers.google import GoogleProvider

        return GoogleModel(config.model, provider=GoogleProvider(api_key=key, base_url=url))
    if config.provider == "groq":
        from pydantic_ai.models.groq import GroqModel
        from pydantic_ai.providers.groq import GroqProvider

        return GroqModel(config.model, provider=GroqProvider(api_key=key, base_url=url))
    if config.provider == "openrouter":
        from pydantic_ai.models.openrouter import OpenRouterModel
        from pydantic_ai.providers.openrouter import OpenRouterProvider

        if url is None:
            return OpenRouterModel(config.model, provider=OpenRouterProvider(api_key=key))
        # OpenRouterProvider has no base URL of its own; a proxy in front of it gets a client.
        from openai import AsyncOpenAI

        client = AsyncOpenAI(base_url=url, api_key=key)
        return OpenRouterModel(config.model, provider=OpenRouterProvider(openai_client=client))
    raise LLMConfigError(f"unknown LLM provider {config.provider!r}")
