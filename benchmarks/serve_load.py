"""The self-check page under a class at once: `grader serve` in its own process, N uploads of a
synthetic class (mixed formats, benchmarks/synth.py) sent C at a time; requests/s, latency (median,
p95, max), how many were graded or turned away, and the peak memory of the server's process tree.

    python benchmarks/serve_load.py --n 50 --concurrency 50 [--workers 2] [--json out.json]

Needs the serve extra. Run with the project's interpreter; nothing is written into the repository.
"""
from __future__ import annotations

import argparse
import json
import math
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from benchmarks import synth  # noqa: E402
from benchmarks.run import BIN, ROOT, _tree_memory  # noqa: E402


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _upload(url: str, path: Path) -> tuple[float, int, bool]:
    body, kind = _multipart(path.name, path.read_bytes())
    request = urllib.request.Request(url, data=body, headers={"Content-Type": kind}, method="POST")
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            html = response.read().decode("utf-8", "replace")
            status = response.status
    except urllib.error.HTTPError as err:
        html, status = err.read().decode("utf-8", "replace"), err.code
    return time.perf_counter() - start, status, 'data-verdict="' in html


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50, help="uploads")
    parser.add_argument("--concurrency", type=int, default=50, help="uploads in flight at once")
    parser.add_argument("--workers", type=int, default=2, help="the server's --workers")
    parser.add_argument("--waiting", type=int, default=64, help="the server's --waiting")
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        synth.generate(Path(root), args.n)
        files = sorted((Path(root) / "submissions").iterdir())
        port = _free_port()
        server = subprocess.Popen([str(BIN / "grader"), "serve", "--port", str(port), "--workers", str(args.workers),
                                   "--waiting", str(args.waiting)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
        try:
            base = f"http://127.0.0.1:{port}/"
            for _ in range(200):  # up: workers started
                try:
                    urllib.request.urlopen(base, timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            peak = [0.0]
            done = threading.Event()

            def sample():
                while not done.wait(0.05):
                    peak[0] = max(peak[0], _tree_memory(server.pid)[1])  # PSS: shared pages counted once

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            start = time.perf_counter()
            with ThreadPoolExecutor(args.concurrency) as pool:
                outcomes = list(pool.map(lambda path: _upload(base + "check", path), files))
            wall = time.perf_counter() - start
            done.set()
            sampler.join()
        finally:
            server.terminate()
            server.wait(10)
    latencies = sorted(seconds for seconds, _, _ in outcomes)
    report = {
        "uploads": len(outcomes), "concurrency": args.concurrency, "workers": args.workers,
        "graded": sum(graded for _, _, graded in outcomes),
        "turned_away": sum(status == 503 for _, status, _ in outcomes),
        "other_status": sorted({status for _, status, _ in outcomes} - {200, 503}),
        "wall_seconds": round(wall, 2), "requests_per_second": round(len(outcomes) / wall, 1),
        "latency_median_s": round(statistics.median(latencies), 3),
        "latency_p95_s": round(latencies[math.ceil(0.95 * len(latencies)) - 1], 3),  # nearest rank
        "latency_max_s": round(latencies[-1], 3),
        "peak_pss_mb": round(peak[0], 1),
    }
    print(json.dumps(report, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
