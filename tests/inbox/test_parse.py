"""Reading the receiving servers' verdicts on the sender (Authentication-Results, RFC 8601):
the server that checked, each method's result, comments (which may hold a ';') dropped,
the topmost header first."""

from email import message_from_bytes

from supportdesk.inbox.parse import Verdict, verdicts

RAW = (
    b"Authentication-Results: mx.example.com 1;\r\n"
    b"  dkim=none (no signature; nothing to check) header.d=example.org;\r\n"
    b"  spf=fail (mx.example.com: 203.0.113.9 is not allowed) smtp.mailfrom=example.org;\r\n"
    b"  DMARC=Fail (p=REJECT) header.from=example.org\r\n"
    b"Authentication-Results: relay.example.net; dmarc=pass header.from=example.org\r\n"
    b"Authentication-Results: mx.example.com; none\r\n"
    b"From: ann.lee@example.org\r\n\r\nHello\r\n"
)


def test_each_header_gives_the_server_and_its_results_topmost_first() -> None:
    assert verdicts(message_from_bytes(RAW)) == [
        Verdict("mx.example.com", {"dkim": "none", "spf": "fail", "dmarc": "fail"}),
        Verdict("relay.example.net", {"dmarc": "pass"}),
        Verdict("mx.example.com", {}),
    ]


def test_an_email_without_them_has_none() -> None:
    assert verdicts(message_from_bytes(b"From: a@example.org\r\n\r\nHi\r\n")) == []
