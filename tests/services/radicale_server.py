"""A real Radicale CalDAV server on 127.0.0.1 with temporary storage, for sync tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

USER = "alice"
PASSWORD = "correct horse"


@dataclass(frozen=True)
class RadicaleServer:
    url: str
    user: str
    password: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def radicale(folder: Path) -> Iterator[RadicaleServer]:
    """Start Radicale with plain htpasswd users; stop it afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    users = folder / "users"
    users.write_text(f"{USER}:{PASSWORD}\n")
    config = folder / "config"
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n"
        f"[auth]\ntype = htpasswd\nhtpasswd_filename = {users}\nhtpasswd_encryption = plain\ndelay = 0\n"
        f"[rights]\ntype = owner_only\n"
        f"[storage]\nfilesystem_folder = {folder / 'collections'}\n"
        "[logging]\nlevel = error\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError as error:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stderr.read() if process.stderr else b""
                    raise RuntimeError(f"Radicale did not start: {output!r}") from error
                time.sleep(0.02)  # polling a port, not waiting on app behaviour
        yield RadicaleServer(f"http://127.0.0.1:{port}/", USER, PASSWORD)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()
