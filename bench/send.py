"""Sending benchmark: one issue to 20,000 confirmed subscribers through Celery on Redis,
2 worker processes, into a local aiosmtpd sink; beside it the floor of this machine.

- floor: the same messages, prepared beforehand (the same render, tokens and MIME
  building the workers do), sent by one smtplib loop over one connection to the sink
  (5,000 of them: the rate is compared, and 20,000 prepared messages take 350 MB);
- campaign: `sending.start_campaign` queues the deliveries, two `celery worker --pool=solo`
  processes send them; messages/s from the start to the campaign's "done", and each
  worker's peak memory (VmHWM) at 5,000 and at 20,000 subscribers;
- fault: the same again, a worker killed with SIGKILL at about half-way and started
  again; the sink's log then shows how many subscribers got 0, 1 or 2 copies.

The sink runs in its own process and logs "message-id<TAB>recipient" per message.
Needs PostgreSQL (database `newsletters_send`, recreated) and Redis (database 8, the
Celery broker); says why and skips without them.
"""

import os
import re
import secrets
import signal
import smtplib
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.serve import recreate_database, services_available

REPO = Path(__file__).resolve().parent.parent
BROKER = "redis://127.0.0.1:6379/8"
SUBSCRIBERS = 20_000
SMALL = 5_000
# The floor sends this many prepared messages: its rate, not its total, is compared.
FLOOR_MESSAGES = 5_000
_MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]*>)", re.I | re.M)


# --- the sink (own process) --------------------------------------------------------


def sink_main(port: int, log_path: str) -> None:
    from aiosmtpd.controller import Controller

    log = open(log_path, "a", buffering=1, encoding="ascii")  # noqa: SIM115 - process-long

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            found = _MESSAGE_ID.search(envelope.content[:4096])
            message_id = found[1].decode() if found else "-"
            for rcpt in envelope.rcpt_tos:
                log.write(f"{message_id}\t{rcpt}\n")
            return "250 Message accepted"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()

    def stop(*_):
        controller.stop()
        log.close()
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    while True:
        signal.pause()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def lines(path: Path) -> list[str]:
    return path.read_text("ascii").splitlines() if path.exists() else []


# --- setting up ---------------------------------------------------------------------


def environment(database_url: str, port: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "REDIS_URL": "",
        "CELERY_BROKER_URL": BROKER,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_TIMEOUT": "5",
        "SUBSCRIBERS_LEASE_SECONDS": "10",
        "SUBSCRIBERS_BATCH_SIZE": "100",
        "SUBSCRIBERS_PARALLEL": "2",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "ERROR",
    }


def make_data(count: int):
    """An invented published issue and `count` confirmed subscribers (bulk insert)."""
    import datetime
    import random

    from django.contrib.auth import get_user_model

    from bench.serve import paragraph
    from newsletters.models import Issue, KeyFigure, Section, Series, Story
    from subscribers.models import Subscriber

    rng = random.Random(13)
    series = Series.objects.create(title="Bench Steppe Digest")
    issue = Issue.objects.create(
        series=series, number=1, title="Bench Steppe Digest, issue 1", status="published",
        publication_date=datetime.date(2026, 11, 1), summary=paragraph(rng, 1),
    )  # fmt: skip
    for s in range(3):
        section = Section.objects.create(issue=issue, title=f"Section {s + 1}", position=s)
        for t in range(2):
            Story.objects.create(
                section=section, title=f"Story {s + 1}.{t + 1}", position=t,
                body=f"{paragraph(rng)}\n\n{paragraph(rng)}",
            )  # fmt: skip
    for f in range(3):
        KeyFigure.objects.create(issue=issue, label=f"Figure {f + 1}", value=rng.randint(10, 10**6))
    Subscriber.objects.bulk_create(
        [Subscriber(email=f"reader{n:06d}@example.org", status="confirmed") for n in range(count)],
        batch_size=5000,
    )
    User = get_user_model()
    return User.objects.create_superuser("bench", "bench@example.org", secrets.token_hex(8))


def new_campaign(user):
    from newsletters.models import Issue
    from subscribers.models import Campaign

    issue = Issue.objects.published().first()
    return Campaign.objects.create(issue=issue, audience="all", rate_limit=100_000, created_by=user)


def start_worker(name: str, env: dict, logs: Path) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).with_name("celery")), "-A", "config", "worker", "--pool=solo",
        "-n", f"{name}@bench", "--without-gossip", "--without-mingle", "-l", "INFO",
    ]  # fmt: skip
    log = open(logs / f"{name}.log", "w")  # noqa: SIM115 - the worker's, closed with it
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_ready(names: list[str], logs: Path, timeout: float = 120) -> None:
    """Until each worker has logged "ready": its start-up is not part of the send."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all("ready." in (logs / f"{n}.log").read_text(errors="replace") for n in names):
            return
        time.sleep(0.2)
    raise RuntimeError(f"workers {names} not ready after {timeout} s")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wait_done(campaign_id: int, timeout: float, on_tick=None) -> bool:
    from subscribers.models import Campaign

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if on_tick:
            on_tick()
        if Campaign.objects.filter(pk=campaign_id, status="done").exists():
            return True
        time.sleep(0.2)
    return False


# --- the runs -----------------------------------------------------------------------


def floor(port: int, count: int) -> float:
    """messages/s of one smtplib connection sending prepared messages."""
    from django.conf import settings

    from subscribers.emails import build_message, render_issue
    from subscribers.models import Campaign, Subscriber
    from subscribers.subscribing import preferences_url, unsubscribe_url

    issue = Campaign.objects.select_related("issue").first().issue
    rendered = render_issue(issue)
    prepared = []
    for n, subscriber in enumerate(Subscriber.objects.order_by("pk")[:count].iterator()):
        message = build_message(
            rendered, subscriber.email, preferences_url=preferences_url(subscriber),
            unsubscribe_url=unsubscribe_url(subscriber), message_id=f"<floor.{n}@bench>",
        )  # fmt: skip
        prepared.append((subscriber.email, message.message().as_bytes(linesep="\r\n")))
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        began = time.perf_counter()
        for to, data in prepared:
            smtp.sendmail(settings.DEFAULT_FROM_EMAIL, [to], data)
        seconds = time.perf_counter() - began
    print(f"floor: {count} prepared messages ({len(prepared[0][1]) / 1024:.1f} KB each) "
          f"over one smtplib connection: {count / seconds:.0f} msg/s")  # fmt: skip
    return count / seconds


def campaign_run(user, env, log: Path, *, count: int, kill_at: int | None = None) -> dict:
    from subscribers import sending
    from subscribers.models import Delivery, Subscriber

    Subscriber.objects.update(status="confirmed")
    Subscriber.objects.exclude(
        pk__in=Subscriber.objects.order_by("pk").values("pk")[:count]
    ).update(status="unsubscribed")
    campaign = new_campaign(user)
    logs = log.parent
    workers = {name: start_worker(name, env, logs) for name in ("w1", "w2")}
    wait_ready(["w1", "w2"], logs)
    peaks: dict[str, float] = {}
    killed = []

    def tick():
        for name, proc in list(workers.items()):
            if proc.poll() is None:
                peaks[name] = max(peaks.get(name, 0), peak_rss_mb(proc.pid))
        if kill_at is not None and not killed:
            sent = sum(1 for line in lines(log) if line.startswith(f"<campaign{campaign.pk}."))
            if sent >= kill_at:
                workers["w1"].send_signal(signal.SIGKILL)
                workers["w1"].wait()
                killed.append(sent)
                workers["w1-restarted"] = start_worker("w1b", env, logs)

    try:
        began = time.perf_counter()
        sending.start_campaign(campaign, user)
        done = wait_done(campaign.pk, timeout=900, on_tick=tick)
        seconds = time.perf_counter() - began
        tick()
    finally:
        for proc in workers.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in workers.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    mine = Counter(
        line.split("\t")[1]
        for line in lines(log)
        if line.startswith(f"<campaign{campaign.pk}.")
    )
    wanted = set(Subscriber.objects.filter(deliveries__campaign=campaign).values_list(
        "email", flat=True))  # fmt: skip
    result = {
        "done": done,
        "seconds": seconds,
        "rate": len(wanted) / seconds,
        "peaks": peaks,
        "killed_at": killed[0] if killed else None,
        "duplicates": sum(1 for n in mine.values() if n > 1),
        "lost": len(wanted - set(mine)),
        "strangers": len(set(mine) - wanted),
        "sent_rows": Delivery.objects.filter(campaign=campaign, status="sent").count(),
    }
    return result


def main() -> int:
    why = services_available()
    if why:
        print(f"send: skipped: {why}", file=sys.stderr)
        return 0
    url = recreate_database("newsletters_send")
    port = free_port()
    tmp = Path(tempfile.mkdtemp(prefix="bench-send-"))
    log = tmp / "sink.log"
    env = environment(url, port)
    os.environ.update({k: env[k] for k in env if k != "PATH"})
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                   cwd=REPO, env=env, check=True)  # fmt: skip
    subprocess.run([str(Path(sys.executable).with_name("celery")), "-A", "config", "purge", "-f"],
                   cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    code = f"from bench.send import sink_main; sink_main({port}, {str(log)!r})"
    sink = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env=env)
    try:
        time.sleep(1.5)
        import django

        django.setup()
        user = make_data(SUBSCRIBERS)
        new_campaign(user)  # the floor renders this campaign's issue
        floor_rate = floor(port, FLOOR_MESSAGES)
        small = campaign_run(user, env, log, count=SMALL)
        full = campaign_run(user, env, log, count=SUBSCRIBERS)
        fault = campaign_run(user, env, log, count=SUBSCRIBERS, kill_at=SUBSCRIBERS // 2)
    finally:
        sink.send_signal(signal.SIGTERM)
        sink.wait(timeout=10)
    for label, run, count in (("5k", small, SMALL), ("20k", full, SUBSCRIBERS)):
        print(
            f"campaign {label}: {count} subscribers, 2 workers: {run['rate']:.0f} msg/s "
            f"({run['rate'] / floor_rate:.2f}x the floor), {run['seconds']:.1f} s, "
            f"duplicates {run['duplicates']}, lost {run['lost']}, "
            f"worker peak RSS {', '.join(f'{v:.0f}' for v in run['peaks'].values())} MB"
        )
    print(
        f"fault: SIGKILL of one worker after {fault['killed_at']} messages, restarted: "
        f"done={fault['done']} in {fault['seconds']:.1f} s, duplicates {fault['duplicates']}, "
        f"lost {fault['lost']}, sent rows {fault['sent_rows']}/{SUBSCRIBERS}"
    )
    ratio = full["rate"] / floor_rate
    memory = max(full["peaks"].values()) / max(small["peaks"].values())
    print(
        f"goals: >= 0.5x the floor: {'met' if ratio >= 0.5 else 'NOT met'} ({ratio:.2f}x); "
        f"memory flat (20k/5k peak {memory:.2f}): {'met' if memory < 1.1 else 'NOT met'}; "
        f"fault run 0 duplicates and 0 losses: "
        f"{'met' if not fault['duplicates'] and not fault['lost'] else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
