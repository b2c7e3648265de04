"""The HTTP service under load: scoring vs a trivial endpoint of the same server.

``kompass serve`` runs in its own process on a free loopback port; 32
client threads (http.client, keep-alive) call it for a bounded time, first
``GET /health`` (the trivial endpoint), then ``POST /score`` with the
bundled example, alternating in rounds. Printed: requests per second as a
ratio, p50 and p99 latency, and the server's resident memory after the
first round (every worker thread started) and at the end.
"""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "upplands-vasby-2011.toml"
CLIENTS = 32
ROUNDS = 5


def _rss(pid: int) -> int:
    """Resident memory of ``pid`` in bytes (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def _load(port: int, method: str, path: str, body: bytes | None, seconds: float
          ) -> tuple[int, list[float]]:
    """Calls made by CLIENTS threads in ``seconds``, and every latency (each must be a 200)."""
    latencies: list[list[float]] = [[] for _ in range(CLIENTS)]
    stop = time.perf_counter() + seconds
    failures: list[str] = []

    def client(mine: list[float]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.perf_counter() < stop:
            start = time.perf_counter()
            conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failures.append(f"{method} {path}: {response.status}")
                return
            mine.append(time.perf_counter() - start)
        conn.close()

    threads = [threading.Thread(target=client, args=(mine,)) for mine in latencies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(failures[0])
    every = sorted(t for mine in latencies for t in mine)
    return len(every), every


def _percentile(sorted_times: list[float], p: float) -> float:
    return sorted_times[min(len(sorted_times) - 1, int(p * len(sorted_times)))]


def bench_service(seconds: float) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    body = json.dumps(tomllib.loads(EXAMPLE.read_text("utf-8")), default=str).encode()
    with tempfile.TemporaryDirectory() as folder:
        server = subprocess.Popen(
            [sys.executable, "-m", "kompass_core.cli", "serve", "--port", str(port), "--db",
             str(Path(folder) / "store.db")], stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5).read()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("kompass serve did not start") from None
                    time.sleep(0.1)
            _load(port, "POST", "/score", body, min(1.0, seconds / 4))  # warm up
            # interleaved, so that a busy moment of the shared machine weighs on both alike
            trivial = scored = 0
            times: list[float] = []
            before = 0
            for _ in range(ROUNDS):
                trivial += _load(port, "GET", "/health", None, seconds / ROUNDS)[0]
                count, more = _load(port, "POST", "/score", body, seconds / ROUNDS)
                scored, times = scored + count, sorted(times + more)
                before = before or _rss(server.pid)  # once every worker thread is up
            after = _rss(server.pid)
        finally:
            server.terminate()
            server.wait(20)
    print(f"9. `kompass serve`, {CLIENTS} clients on loopback for {seconds:g} s each")
    print(f"   GET /health (the trivial endpoint)    {trivial / seconds:8,.0f} requests/s")
    print(f"   POST /score (the bundled example)     {scored / seconds:8,.0f} requests/s"
          f"  {scored / trivial:4.2f}x   (target >= 0.5x)")
    print(f"   POST /score latency: p50 {_percentile(times, 0.5) * 1000:.1f} ms, "
          f"p99 {_percentile(times, 0.99) * 1000:.1f} ms")
    print(f"   server memory (RSS) after the first round and at the end: {before / 2**20:.1f} and "
          f"{after / 2**20:.1f} MiB, {after / before:4.2f}x   (target: flat, about 1x)")
