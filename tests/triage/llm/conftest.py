"""The fake LLM server of the LLM layer's tests serves the LLM classifier's too."""

from tests.llm.conftest import _fake_server, _no_proxies, fake_llm  # noqa: F401  (fixtures)
