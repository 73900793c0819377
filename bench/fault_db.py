"""Fault: the database goes away under a running site, then comes back.

Starts a throwaway PostgreSQL 15 cluster (initdb into a temporary folder, on a free
port), migrates it, runs gunicorn against it, and then:
  1. the home page answers 200;
  2. the cluster is stopped: pages answer 503 "temporarily unavailable" with a
     Retry-After and no traceback, and /healthz says {"database": "error"};
  3. the cluster is started again: without restarting gunicorn, the same page answers
     200 again (persistent connections are health-checked and replaced).

The suite runs the same scenario (tests/test_production.py); `python -m bench.fault_db`
prints the timings. Needs PostgreSQL's server binaries; as root, the cluster runs as the
`postgres` user, since PostgreSQL refuses to run as root.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PG_BIN_DIRS = [
    Path("/usr/lib/postgresql/15/bin"),
    *sorted(Path("/usr/lib/postgresql").glob("*/bin")),
]


class Unavailable(Exception):
    """The scenario cannot run here (missing binaries or user); says why."""


def pg_bin() -> Path:
    for folder in PG_BIN_DIRS:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    raise Unavailable("PostgreSQL server binaries (initdb, pg_ctl) not found")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster of our own in a temporary folder."""

    def __init__(self, root: Path):
        self.bin = pg_bin()
        self.root = root
        self.data = root / "data"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            if shutil.which("runuser") is None:
                raise Unavailable("running as root and runuser is missing")
            try:
                import pwd

                pwd.getpwnam("postgres")
            except KeyError as exc:
                raise Unavailable("running as root and there is no 'postgres' user") from exc
            shutil.chown(root, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args, timeout=60):
        return subprocess.run(
            [*self.as_user, *args], capture_output=True, text=True, timeout=timeout, check=True
        )

    def init(self):
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--no-sync", "--no-instructions",
        )  # fmt: skip

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"),
            "-o", options, "-w", "-t", "30", "start",
        )  # fmt: skip

    def stop(self):
        # "fast": disconnect clients now, as a crashed or restarted server would.
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/newsletters"

    def create_database(self):
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute("CREATE DATABASE newsletters")


def get(url: str, timeout: float = 10) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def wait_for(url: str, seconds: float, statuses=(200,)) -> tuple[int, dict, str]:
    deadline = time.monotonic() + seconds
    last = (0, {}, "")
    while time.monotonic() < deadline:
        try:
            last = get(url, timeout=5)
            if last[0] in statuses:
                return last
        except OSError:
            pass
        time.sleep(0.2)
    return last


@contextmanager
def gunicorn(database_url: str, port: int, log: Path):
    env = {
        **os.environ,
        # The test settings: production settings with plain-HTTP static files, so no
        # collectstatic is needed for a throwaway server.
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "60",
        "DEBUG": "0",
        "REDIS_URL": "",
    }
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", "1",
             "--bind", f"127.0.0.1:{port}", "--timeout", "30"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def run_scenario(log=print) -> dict:
    """Runs the whole scenario; returns what each step saw. Raises Unavailable."""
    pg_bin()
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="fault-db-") as tmp:
        root = Path(tmp)
        cluster = Cluster(root)
        t0 = time.monotonic()
        cluster.init()
        cluster.start()
        try:
            cluster.create_database()
            env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test",
                   "DATABASE_URL": cluster.url}  # fmt: skip
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                cwd=REPO, env=env, check=True, timeout=180, capture_output=True,
            )  # fmt: skip
            took = time.monotonic() - t0
            log(f"cluster on port {cluster.port} ready and migrated in {took:.1f} s")
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            with gunicorn(cluster.url, port, root / "gunicorn.log"):
                results["up"] = wait_for(f"{base}/", 30)
                log(f"database up:       GET / -> {results['up'][0]}")
                cluster.stop()
                t_down = time.monotonic()
                # A page the cache does not hold: a cached page is served without the
                # database (core/caching.py), so "/" itself would still answer 200,
                # and so would "/?x": the cache key ignores parameters a page does not read.
                results["down"] = get(f"{base}/search/?q=uncached")
                results["down_health"] = get(f"{base}/healthz")
                status, headers, _ = results["down"]
                h_status, _, h_body = results["down_health"]
                log(
                    f"database stopped:  GET /search/?q=uncached -> {status}, "
                    f"Retry-After {headers.get('Retry-After')}; /healthz -> {h_status} {h_body}"
                )
                log(f"  (answered {time.monotonic() - t_down:.2f} s after the stop)")
                cluster.start()
                t_up = time.monotonic()
                results["recovered"] = wait_for(f"{base}/", 30)
                results["recovery_seconds"] = time.monotonic() - t_up
                log(f"database started:  GET / -> {results['recovered'][0]} "
                    f"{results['recovery_seconds']:.2f} s after the start")  # fmt: skip
            results["gunicorn_log"] = (root / "gunicorn.log").read_text(errors="replace")
        finally:
            with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
                cluster.stop()
    return results


def main() -> int:
    try:
        results = run_scenario()
    except Unavailable as exc:
        print(f"fault_db: skipped: {exc}", file=sys.stderr)
        return 0
    ok = (
        results["up"][0] == 200
        and results["down"][0] == 503
        and results["down_health"][0] == 503
        and results["recovered"][0] == 200
    )
    print("fault_db:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
