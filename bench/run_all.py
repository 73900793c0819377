"""Run every benchmark in bench/ (each `bench/*.py` that defines `main()`), one by one.

Each benchmark runs in its own process, so one that sets Django up its own way cannot
disturb the next. A benchmark whose service is unavailable (PostgreSQL, Redis...) says
why and exits without a traceback; run_all reports it as skipped and goes on. The exit
status is 1 only when a benchmark crashed (a traceback), 0 otherwise.

Among them: import_archive.py (files/s into SQLite), parse_large.py (a 1 MB plain-text
file through the parser, target < 2 s), search.py, serve.py, fault_*.py.
"""

import ast
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
SKIP = {"__init__.py", "run_all.py"}


def has_main(path: Path) -> bool:
    """True when the module defines a top-level main(), found without importing it."""
    try:
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    except (OSError, SyntaxError):
        return True  # let it run and report its own problem
    return any(isinstance(n, ast.FunctionDef) and n.name == "main" for n in tree.body)


def discover() -> list[Path]:
    return [p for p in sorted(BENCH.glob("*.py")) if p.name not in SKIP and has_main(p)]


def run(path: Path) -> str:
    module = f"bench.{path.stem}"
    code = f"import sys, {module} as m; sys.exit(m.main())"
    print(f"== {path.name}", flush=True)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if done.stderr:
        sys.stderr.write(done.stderr)
    if done.returncode == 0:
        return f"ok ({seconds:.0f} s)"
    if "Traceback (most recent call last)" in done.stderr:
        return f"CRASHED (exit {done.returncode})"
    reason = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    return f"skipped (exit {done.returncode}{': ' + reason if reason else ''})"


def main() -> int:
    results = {path.name: run(path) for path in discover()}
    print("\n== summary")
    for name, result in results.items():
        print(f"  {name}: {result}")
    return 1 if any(r.startswith("CRASHED") for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
