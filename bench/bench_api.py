"""Load on the main API list endpoints: 50 concurrent clients for 60 s against gunicorn.

Sets up its own PostgreSQL database (bposla_bench_api) with the demo data, starts gunicorn on
loopback, drives the list endpoints with keep-alive clients authenticated by token, and prints
p50/p95 latency and errors per endpoint, with /healthz measured in the same run as baseline.
Usage: .venv/bin/python bench/bench_api.py [--clients 50] [--seconds 60]
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765
DB = "bposla_bench_api"
ENDPOINTS = [
    "/api/v1/vendors/",
    "/api/v1/events/",
    "/api/v1/proposals/",
    "/api/v1/contracts/",
    "/api/v1/reports/",
    "/api/v1/kpi-uploads/",
    "/api/v1/breaches/",
]
BASELINE = "/healthz"


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="development",
        DJANGO_DEBUG="false",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}",
        CELERY_BROKER_URL=os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/8"),
        VAR_DIR=str(ROOT / "var" / "bench-api"),
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(
        command, cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def prepare(env: dict[str, str]) -> str:
    """Fresh database, migrations, demo data; returns an admin token."""
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo")
    code = (
        "from accounts.services.tokens import token_issue;"
        "from accounts.models import User;"
        "print(token_issue(user=User.objects.get(username='admin'))[1])"
    )
    return manage(env, "shell", "-c", code).strip().splitlines()[-1]


def available(paths: list[str], token: str) -> list[str]:
    """Only the endpoints this build serves (some arrive with later issues)."""
    found = []
    for path in paths:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        conn.request("GET", path, headers={"Authorization": f"Token {token}"})
        if conn.getresponse().status == 200:
            found.append(path)
        conn.close()
    return found


def client(paths, token, stop_at, samples, errors, lock, offset):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    headers = {"Authorization": f"Token {token}", "Connection": "keep-alive"}
    i = offset
    while time.monotonic() < stop_at:
        path = paths[i % len(paths)]
        i += 1
        start = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        elapsed = time.perf_counter() - start
        with lock:
            samples[path].append(elapsed)
            if not ok:
                errors[path] += 1
    conn.close()


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    env = environment()
    token = prepare(env)
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "3",
         "--threads", "4", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", BASELINE)
                break
            except OSError:
                time.sleep(0.2)
        paths = [*available(ENDPOINTS, token), BASELINE]
        samples: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, int] = defaultdict(int)
        lock = threading.Lock()
        stop_at = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=client, args=(paths, token, stop_at, samples, errors, lock, n))
            for n in range(args.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    base_p50 = percentile(samples[BASELINE], 50)
    total = sum(len(v) for v in samples.values())
    total_errors = sum(errors.values())
    print(f"{args.clients} clients, {args.seconds} s, gunicorn 3 workers x 4 threads, PostgreSQL")
    print(
        f"{'endpoint':<24}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}{'p50/healthz':>13}"
    )
    for path in paths:
        values = samples[path]
        p50, p95 = percentile(values, 50), percentile(values, 95)
        print(f"{path:<24}{len(values):>9}{p50 * 1000:>9.1f}{p95 * 1000:>9.1f}{errors[path]:>8}"
              f"{p50 / base_p50:>12.1f}x")  # fmt: skip
    print(f"total {total} requests, {total / args.seconds:.0f} req/s, errors {total_errors}")
    return 1 if total_errors else 0


if __name__ == "__main__":
    sys.exit(main())
