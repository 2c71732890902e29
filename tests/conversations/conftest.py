# The fake LLM server of tests/llm, for the thread summary's tests.
from tests.llm.conftest import _fake_server, _no_proxies, fake_llm  # noqa: F401
from tests.mail.conftest import smtp  # noqa: F401  (the SMTP server on 127.0.0.1)
