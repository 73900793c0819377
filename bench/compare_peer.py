"""The issue page beside its Wagtail peer, in one run (issue 12): prints the two ratios.

Runs `compare_issue_page.sh` from the shared peers folder (../shared/peers, or
PEERS_DIR) in a writable copy under var/peers/, which also builds the Wagtail venv on
first use (a few minutes). The copy serves on the script's own ports, or on
BENCH_PORT_BASE+1, +3, +11 and +12 when that is set (machines shared with other runs).
Our cached target uses the default cache of `make serve` without Redis (the file cache,
in a fresh folder); the uncached one Django's DummyCache.

    .venv/bin/python -m bench.compare_peer         # about 3 minutes, once built
    RUNS=3 .venv/bin/python -m bench.compare_peer  # the README's medians of 3 runs

Last line: "uncached X.XXx Wagtail (goal 2); cached Y.YYx framework floor (goal 0.9 ...)".
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "var" / "peers"
PORTS = {"8101": 1, "8103": 3, "8201": 11, "8202": 12}
RATIOS = re.compile(r"uncached ([\d.]+)x Wagtail.*cached ([\d.]+)x framework floor")


def peers_dir() -> Path | None:
    candidates = [os.environ.get("PEERS_DIR"), REPO.parent / "shared" / "peers",
                  REPO.parent.parent / "shared" / "peers"]  # fmt: skip
    for candidate in candidates:
        if candidate and (Path(candidate) / "compare_issue_page.sh").is_file():
            return Path(candidate)
    return None


def writable_copy(source: Path) -> Path:
    """The peers folder copied under var/peers/src, ports moved if asked."""
    copy = WORK / "src"
    shutil.copytree(source, copy, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".venv"))
    base = os.environ.get("BENCH_PORT_BASE")
    for name in ("compare_issue_page.sh", "wagtail/run_bench.sh", "wagtail/summarize.py"):
        path = copy / name
        text = path.read_text()
        if base:
            for port, offset in PORTS.items():
                text = text.replace(port, str(int(base) + offset))
        # The seeds stay where they are: the copy is not beside them.
        seeds = f'SEEDS="{source.parent / "seeds"}"'
        text = text.replace('SEEDS=$(cd "$P/../seeds" && pwd)', seeds)
        path.write_text(text)
    return copy


def one_run(script: Path, seeds: Path) -> tuple[str, tuple[float, float] | None]:
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache_dir:
        env = {**os.environ, "CACHE_DIR": cache_dir, "REDIS_URL": "",
               # The peer's seed, for its first build from the copy.
               "ANCHOR_SEED": str(seeds / "002_88856098058327fc.txt")}  # fmt: skip
        done = subprocess.run(["bash", str(script)], cwd=REPO, env=env, capture_output=True,
                              text=True, timeout=1800)  # fmt: skip
    output = (done.stderr + done.stdout).strip()
    match = RATIOS.search(output)
    return output, (float(match[1]), float(match[2])) if match else None


def main() -> int:
    source = peers_dir()
    if source is None:
        print("no peers folder (set PEERS_DIR to shared/peers)", file=sys.stderr)
        return 2
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    script = writable_copy(source) / "compare_issue_page.sh"
    ratios = []
    for n in range(int(os.environ.get("RUNS", "1"))):
        output, found = one_run(script, source.parent / "seeds")
        print(f"-- run {n + 1}\n{output}", flush=True)
        if found:
            ratios.append(found)
    if not ratios:
        print("the comparison gave no ratios (see its output above)", file=sys.stderr)
        return 2
    uncached = statistics.median(r[0] for r in ratios)
    cached = statistics.median(r[1] for r in ratios)
    print(f"uncached {uncached:.2f}x Wagtail (goal 2); cached {cached:.2f}x framework floor "
          f"(goal 0.9); median of {len(ratios)} run(s)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
