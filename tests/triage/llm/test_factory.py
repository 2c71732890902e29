"""Settings to classifier: which provider, which model, and nothing imported until used."""

import subprocess
import sys

import pytest
from pydantic import SecretStr

from supportdesk.config import LLMSettings
from supportdesk.llm import LLMConfigError
from supportdesk.llm.providers import DEFAULT_MODELS
from supportdesk.triage.llm import EscalatingClassifier, LLMClassifier, build_llm_classifier
from supportdesk.triage.rules import RuleClassifier
from tests.llm.conftest import FakeLLM


def settings(**values: object) -> LLMSettings:
    return LLMSettings.model_validate({"api_key": None, "base_url": None, **values})


def test_no_provider_means_no_llm() -> None:
    assert build_llm_classifier(settings(provider=None), RuleClassifier()) is None
    assert build_llm_classifier(settings(provider=" "), RuleClassifier()) is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"provider": "watson"}, "not one of"),
        ({"provider": "openai"}, "LLM_API_KEY"),
        ({"provider": "openrouter", "model": "gpt-x", "api_key": "k"}, "vendor/model"),
        ({"provider": "openai-compatible", "base_url": "http://127.0.0.1:1/v1"}, "LLM_MODEL"),
        ({"provider": "openai-compatible", "model": "llama"}, "LLM_BASE_URL"),
    ],
)
def test_unusable_settings_fail_at_startup(values: dict[str, object], message: str) -> None:
    with pytest.raises(LLMConfigError, match=message):
        build_llm_classifier(settings(**values), RuleClassifier())


def test_importing_the_package_does_not_import_pydantic_ai() -> None:
    code = (
        "import sys, supportdesk.triage.llm as llm\n"
        "from supportdesk.config import LLMSettings\n"
        "from supportdesk.triage.rules import RuleClassifier\n"
        "llm.build_llm_classifier(LLMSettings(provider='openai', api_key='k'), RuleClassifier())\n"
        "sdks = ('pydantic_ai', 'openai', 'anthropic', 'google.genai', 'groq')\n"
        "print([m for m in sys.modules if m.split('.')[0] in sdks or m.startswith(sdks)])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


async def test_openai_compatible_end_to_end_from_settings(fake_llm: FakeLLM) -> None:
    classifier = build_llm_classifier(
        settings(provider="openai-compatible", model="llama-local", base_url=f"{fake_llm.url}/v1"),
        RuleClassifier(),
    )
    assert isinstance(classifier, LLMClassifier)
    suggestion = await classifier.classify("Charged twice", "Refund please")
    assert suggestion.warning is None and suggestion.provider == "openai-compatible:llama-local"
    assert fake_llm.requests[0]["model"] == "llama-local"


@pytest.mark.parametrize(("provider", "prefix"), [("groq", ""), ("openrouter", "/v1")])
async def test_openai_shaped_providers_end_to_end(
    fake_llm: FakeLLM, provider: str, prefix: str
) -> None:
    classifier = build_llm_classifier(
        settings(provider=provider, api_key=SecretStr("k"), base_url=fake_llm.url + prefix),
        RuleClassifier(),
    )
    assert classifier is not None
    suggestion = await classifier.classify("Charged twice", "Refund please")
    assert suggestion.warning is None, suggestion.warning


def test_escalation_threshold_wraps_the_llm() -> None:
    classifier = build_llm_classifier(
        settings(provider="anthropic", api_key=SecretStr("k")),
        RuleClassifier(),
        escalation_threshold=0.7,
    )
    assert isinstance(classifier, EscalatingClassifier)
    assert classifier.status()["llm"]["model"] == DEFAULT_MODELS["anthropic"]
