"""The real stack for the fault suite: a private redis-server, a private PostgreSQL cluster and a
Celery worker process, each started here so that a test may kill or stop it without touching
the servers other suites share (6379, 5432)."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.polling import wait_for

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server on a free port, no persistence; stop() and start() keep the port."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed")
        self.binary, self.port, self.process = binary, free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        assert wait_for(self._answers, timeout=10), "the private redis-server did not start"

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


class Worker:
    """`celery -A config worker` on every queue as a process; `slow` names a function of the
    product that sleeps `seconds` first, the first time it is called (to be killed in it)."""

    def __init__(self, env: dict[str, str], *, slow: str = "", seconds: float = 0) -> None:
        self.env, self.slow, self.seconds = env, slow, seconds
        self.marker = Path(tempfile.mkdtemp(prefix="fault-")) / "slowed"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        patch = ""
        if self.slow:
            module, _, name = self.slow.rpartition(".")
            patch = (
                f"import importlib, pathlib, time; m = importlib.import_module({module!r}); "
                f"f = getattr(m, {name!r}); marker = pathlib.Path({str(self.marker)!r})\n"
                "def slowed(*a, **k):\n"
                "    if not marker.exists():\n"
                f"        marker.touch(); time.sleep({self.seconds})\n"
                "    return f(*a, **k)\n"
                f"setattr(m, {name!r}, slowed)\n"
            )
        code = (
            "import django, os, sys\n"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n"
            "django.setup()\n" + patch +
            "from celery.__main__ import main\n"
            "sys.argv = ['celery', '-A', 'config', 'worker', '--loglevel', 'WARNING',\n"
            "            '--concurrency', '2',\n"
            "            '-Q', 'ingestion,evaluation,reports,email,default',\n"
            "            '--without-gossip', '--without-mingle', '--without-heartbeat']\n"
            "main()\n"
        )  # fmt: skip
        log = Path(self.marker.parent) / "worker.log"
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-c", code], cwd=ROOT, env=self.env,
            stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def pool_pids(self) -> list[int]:
        assert self.process is not None
        found = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True,
                               text=True)  # fmt: skip
        return [int(pid) for pid in found.stdout.split()]

    def kill_main(self) -> None:
        """SIGKILL the main process and its pool processes (as an OOM kill of the group)."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            self.process = None


def worker_env(*, database: dict, broker_url: str, media_root: Path, var_dir: Path) -> dict:
    """The environment of a worker process sharing the test's database and files."""
    return {
        **os.environ,
        "DJANGO_ENV": "test",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
        "CELERY_BROKER_URL": broker_url,
        "MEDIA_ROOT": str(media_root),
        "VAR_DIR": str(var_dir),
        "KPI_PARSE_PROCESSES": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }


@contextmanager
def publishing_to(url: str):
    """Point this process's Celery app at another broker (the private one)."""
    from config.celery import app

    before = (app.conf.broker_url, app.conf.broker_write_url, app.conf.broker_read_url)
    app.conf.broker_url = app.conf.broker_write_url = app.conf.broker_read_url = url
    app._pool, app.amqp._producer_pool = None, None
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.broker_write_url, app.conf.broker_read_url = before
        app._pool, app.amqp._producer_pool = None, None


class PrivatePostgres:
    """A PostgreSQL cluster of our own (initdb into a temp dir, run as the postgres user, trust
    auth, a free port), so that a test may restart it."""

    def __init__(self) -> None:
        if not (PG_BIN / "initdb").exists() or shutil.which("runuser") is None:
            pytest.skip(f"PostgreSQL binaries not found in {PG_BIN}")
        if os.geteuid() != 0:
            pytest.skip("a private PostgreSQL cluster is started as root (runuser -u postgres)")
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="fault-pg-"))
        shutil.chown(self.dir, "postgres")
        self.data = self.dir / "data"

    def _as_postgres(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip

    def init(self) -> None:
        self._as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust",
                          "-U", "postgres")  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w", "-l",
                          str(self.dir / "log"), "-o", options, "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w", "-m", mode, "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)
