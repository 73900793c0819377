"""A small bounded HTTP load generator: N requests to one URL at C concurrent clients.

Runs as its own process (`python -m bench._load HOST PORT PATH N C`) so the client's
CPU and GIL are not the server's; prints one JSON line: requests per second, latency
percentiles in milliseconds, error count and the response size. Threads with
http.client keep it dependency-free; each request opens its own connection, as
gunicorn's sync workers close them anyway. Several paths may be given, separated by
commas: they are requested in turn (distinct issue pages, for instance).
"""

import http.client
import json
import sys
import threading
import time


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
    return ordered[index]


def drive(host: str, port: int, paths: list[str], total: int, concurrency: int) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    sizes: list[int] = []
    lock = threading.Lock()
    counter = iter(range(total))

    def worker():
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            path = paths[n % len(paths)]
            start = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(host, port, timeout=30)
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                body = response.read()
                conn.close()
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    sizes.append(len(body))
                    if response.status != 200:
                        errors.append(f"{response.status} {path}")
            except OSError as exc:
                with lock:
                    errors.append(f"{type(exc).__name__} {path}")

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return {
        "requests": total,
        "seconds": round(seconds, 3),
        "rps": round(total / seconds, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "errors": len(errors),
        "error_sample": sorted(set(errors))[:3],
        "bytes": round(sum(sizes) / len(sizes)) if sizes else 0,
    }


def main_cli(argv: list[str]) -> int:
    host, port, paths, total, concurrency = argv
    result = drive(host, int(port), paths.split(","), int(total), int(concurrency))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main_cli(sys.argv[1:]))
