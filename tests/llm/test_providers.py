"""Which provider and model the settings name, and the model built for each, offline."""

import pytest
from pydantic import SecretStr

from supportdesk.config import LLMSettings
from supportdesk.llm import ProviderConfig, build_model, resolve
from supportdesk.llm.providers import DEFAULT_MODELS


def settings(**values: object) -> LLMSettings:
    return LLMSettings.model_validate({"api_key": None, "base_url": None, **values})


@pytest.mark.parametrize("provider", ["anthropic", "openai", "gemini", "groq", "openrouter"])
def test_hosted_providers_get_a_default_model(provider: str) -> None:
    config = resolve(settings(provider=provider, api_key=SecretStr("k")))
    assert config is not None and config.model == DEFAULT_MODELS[provider]


def test_aliases_and_explicit_model() -> None:
    config = resolve(settings(provider="Google", model="gemini-x", api_key=SecretStr("k")))
    assert config == ProviderConfig("gemini", "gemini-x", "k", None)


@pytest.mark.parametrize("provider", ["anthropic", "openai", "gemini", "groq", "openrouter"])
def test_every_provider_builds_a_model_offline(provider: str) -> None:
    name = "vendor/some-model"  # OpenRouter insists on vendor/model; the others accept it
    model = build_model(ProviderConfig(provider, name, "k", "http://127.0.0.1:9/v1"))
    assert model.model_name == name
    assert build_model(ProviderConfig(provider, name, "k", None)).model_name == name
