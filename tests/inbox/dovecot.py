"""A real IMAP server for the tests: Debian's dovecot, started in a temporary folder on a
free port of 127.0.0.1 with one mailbox (plain password, no TLS: loopback only)."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.jobs.test_durability import free_port

USER, PASSWORD = "support@example.com", "imap-test-password"


@dataclass(frozen=True)
class Imap:
    port: int
    user: str = USER
    password: str = PASSWORD


CONFIG = """
protocols = imap
first_valid_uid = 1
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%n
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%n
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service auth-worker {{
  user = root
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


def _mail_owner() -> tuple[int, int]:
    """Dovecot keeps mail as an unprivileged user: as root, its own system user."""
    if os.getuid() != 0:
        return os.getuid(), os.getgid()
    owner = pwd.getpwnam("dovecot")
    return owner.pw_uid, owner.pw_gid


@contextmanager
def dovecot() -> Iterator[Imap]:
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    port = free_port()
    # Not under pytest's private folder: dovecot's own users must reach the mail.
    root = Path(tempfile.mkdtemp(prefix="supportdesk-dovecot-"))
    root.chmod(0o755)
    uid, gid = _mail_owner()
    for folder in ("run", "state", "mail", "home"):
        (root / folder).mkdir()
    for folder in ("mail", "home"):
        os.chown(root / folder, uid, gid)
    (root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    config = root / "dovecot.conf"
    config.write_text(CONFIG.format(root=root, port=port, uid=uid, gid=gid))
    subprocess.run([binary, "-c", str(config)], check=True)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError((root / "dovecot.log").read_text()) from None
                time.sleep(0.1)
        yield Imap(port)
    finally:
        subprocess.run([binary, "-c", str(config), "stop"], check=False)
        shutil.rmtree(root, ignore_errors=True)
