"""Real processes for the outbox's resilience tests: a private Redis on a free port (so that stopping it
disturbs nothing else), and `celery worker` and `celery beat` processes pointed at the test database,
that Redis and the test's SMTP server through the environment, as production configures them."""

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import redis

REPO_ROOT = Path(__file__).resolve().parents[2]


def _die_with_the_tests() -> None:
    """In the child, before exec: Linux sends it SIGTERM if the test run dies without stopping it."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        pass  # not Linux: the fixtures still stop every process they started


def wait_for(predicate: Callable[[], bool], seconds: float, what: str, logs: Callable[[], str] = lambda: "") -> None:
    """Poll until `predicate()` is true; fail after `seconds`, with the processes' logs."""
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds:.0f}s\n{logs()}")
        time.sleep(0.1)


def database_url(settings_dict: dict) -> str:
    """The URL of the database Django is connected to (the test database pytest-django made)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{quote(settings_dict['NAME'], safe='')}"


class RedisServer:
    """redis-server on 127.0.0.1:<port>, keeping nothing on disk: a restart starts empty, as a lost broker."""

    def __init__(self, port: int, folder: Path):
        self.port = port
        self.folder = folder
        self.process: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        with open(self.folder / f"redis-{self.port}.log", "ab") as log:
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
                + ["--dir", str(self.folder)],
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_the_tests,
            )
        wait_for(self.answers, 20, f"redis-server on port {self.port}")

    def answers(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None


class CeleryProcess:
    """One `celery worker` or `celery beat` process; its output goes to a log file the tests print on failure."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], folder: Path):
        self.name = name
        self.log_path = folder / f"{name}.log"
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", *args],
                cwd=REPO_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_the_tests,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_until_logged(self, text: str, seconds: float = 60) -> None:
        def logged() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited with {self.process.returncode}\n{self.log()[-5000:]}")
            return text in self.log()

        wait_for(logged, seconds, f"{self.name} to log {text!r}", lambda: self.log()[-5000:])

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, no last word to the database or the broker."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
