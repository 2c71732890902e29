# The fake LLM server of tests/llm, for the thread summary's tests.
from tests.llm.conftest import _fake_server, _no_proxies, fake_llm  # noqa: F401
