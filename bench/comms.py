"""Comms: publishing throughput and exactly-once with two workers, against fake channel servers; JSON figures.

PostgreSQL database ``bkklib_bench_comms`` (never a test one). Each round writes N approved posts due
now, each to a fake Facebook page, LINE OA and X account (real HTTP on 127.0.0.1, ``delay`` ms per
answer) and the website's news, then:

1. one worker: ``services.publish_due`` — variants/s;
2. two workers at once (threads, own connections) on a fresh batch — variants/s and the number of
   requests each fake server received (must equal N: exactly once);
3. cipher: encrypt + decrypt of a 200-character token, µs per pair.

    .venv/bin/python bench/comms.py --posts 50 --delay-ms 20
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = os.environ.get("BKKLIB_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bkklib_bench_comms")


def ensure_pg_database() -> None:
    import psycopg

    parts = urlparse(PG_URL)
    name = parts.path.lstrip("/")
    with psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                         dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup():
    os.environ.update({"DATABASE_URL": PG_URL, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "bkklib.settings",
                       "LOG_LEVEL": "ERROR", "HUEY_IMMEDIATE": "1"})
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    ensure_pg_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def batch(n: int, api_url: str, tag: str):
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from bkklib.comms.models import Channel, Post, Variant

    User = get_user_model()
    author, _ = User.objects.get_or_create(username="bench-author")
    reviewer, _ = User.objects.get_or_create(username="bench-reviewer")
    channels = []
    for kind, account in (("facebook", "1122334455"), ("line", ""), ("x", ""), ("website", "")):
        channel, created = Channel.objects.get_or_create(kind=kind, name=f"bench {kind}", defaults={
            "account_id": account})
        channel.base_url = api_url if kind != "website" else ""
        channel.set_token("bench-token")
        channel.save()
        channels.append(channel)
    now = timezone.now()
    for i in range(n):
        post = Post.objects.create(title=f"bench {tag} {i}", text="ข้อความทดสอบความเร็ว " * 5, author=author,
                                   approved_by=reviewer, approved_at=now, status="scheduled",
                                   publish_at=now - timedelta(seconds=1), hashtags="ห้องสมุด")
        Variant.objects.bulk_create([Variant(post=post, channel=c, next_attempt_at=post.publish_at) for c in channels])
    return now


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=50)
    parser.add_argument("--delay-ms", type=int, default=20)
    args = parser.parse_args()
    setup()
    from django.db import connections
    from django.utils import timezone

    from bkklib.comms import crypto, services
    from bkklib.comms.models import Post
    from bkklib.comms.tests.fakes import FakeApi

    Post.objects.filter(title__startswith="bench ").delete()
    api = FakeApi(delay=args.delay_ms / 1000).start()
    api.answer("POST", "/1122334455/feed", 200, {"id": "1122334455_1"})
    api.answer("POST", "/v2/bot/message/broadcast", 200, {}, {"x-line-request-id": "r"})
    api.answer("POST", "/2/tweets", 201, {"data": {"id": "1", "text": "t"}})
    figures = {"posts": args.posts, "variants_per_post": 4, "fake_delay_ms": args.delay_ms}

    batch(args.posts, api.url, "one")
    t0 = time.perf_counter()
    counts = services.publish_due(now=timezone.now())
    elapsed = time.perf_counter() - t0
    figures["one_worker"] = {"published": counts.get("published", 0), "seconds": round(elapsed, 2),
                             "variants_per_s": round(counts.get("published", 0) / elapsed, 1)}

    api.requests.clear()
    batch(args.posts, api.url, "two")
    results, barrier = [], threading.Barrier(2)

    def worker():
        barrier.wait()
        results.append(services.publish_due(now=timezone.now()))
        connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    published = sum(r.get("published", 0) for r in results)
    figures["two_workers"] = {"published": published, "seconds": round(elapsed, 2),
                              "variants_per_s": round(published / elapsed, 1),
                              "requests": {p: sum(1 for r in api.requests if r.path == p)
                                           for p in ("/1122334455/feed", "/v2/bot/message/broadcast", "/2/tweets")},
                              "taken_by_other_worker": sum(r.get("taken", 0) for r in results)}
    token = "x" * 200
    t0 = time.perf_counter()
    for _ in range(2000):
        crypto.decrypt(crypto.encrypt(token))
    figures["cipher_us_per_pair"] = round((time.perf_counter() - t0) / 2000 * 1e6, 1)
    api.stop()
    Post.objects.filter(title__startswith="bench ").delete()
    print(json.dumps(figures, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
