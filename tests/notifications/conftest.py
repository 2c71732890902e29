from tests.mail.conftest import smtp  # noqa: F401  (a fixture)
