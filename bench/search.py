"""Benchmark bkklib search at catalog scale; print JSON figures (docs/performance.md, "Search").

Builds a synthetic catalog of N records (default 1,000,000), Thai and English, with Thai words
drawn by their Thai National Corpus frequencies (bench/data/thai_word_freq.txt), English words
by Zipf rank (bench/data/english_words.txt plus a synthetic long tail), realistic title, author,
subject, publisher and note lengths, ISBNs, and items' facet values (branch, material type,
language, year, availability). It indexes them through the search facade in batches of
``--batch`` records, one transaction per batch (as the catalog's bulk import does), and reports the
index rate and size; then it runs the fixed query list (bench/search_queries.tsv, >= 200 queries
of mixed kinds, five facets counted on every one) ``--rounds`` times and reports latency p50/p95.

Use a database of its own:
    DATABASE_URL=sqlite:////tmp/bkklib-bench.sqlite3 .venv/bin/python bench/search.py --n 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bkklib_bench .venv/bin/python bench/search.py
``--reuse`` skips building when the database already holds N records (query figures only).
``--via catalog`` (the default) writes the records as ISO 2709 files and imports them through the
catalog's MARC import (parse, store records and items, index, one transaction per ``--batch``);
``--via facade`` indexes the same documents through the search facade only.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bkklib.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")  # DEBUG off refuses to start without one
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bkklib-bench.sqlite3")

FACETS = ("branch", "material_type", "language", "year", "availability")
BRANCHES = [f"BKK{i:02d}" for i in range(1, 41)]
# The catalog's material types (from leader/06-07, bkklib.catalog.marc.extract), with the leader codes
# that give them when the catalog is built through the MARC import (--via catalog).
MATERIAL_TYPES = [("book", 74), ("computer_file", 8), ("serial", 7), ("video", 4), ("sound", 3),
                  ("map", 2), ("score", 1), ("kit", 1)]
LEADER_CODES = {"book": "am", "computer_file": "mm", "serial": "as", "video": "gm", "sound": "im", "map": "em",
                "score": "cm", "kit": "om"}
LANGUAGES = [("tha", 64), ("eng", 30), ("chi", 2), ("jpn", 2), ("fre", 1), ("ger", 1)]


def _isbn13(rng: random.Random, n: int) -> str:
    """Return a valid ISBN-13 unique to record ``n`` (random ones collide in a million, and the
    catalog's import rightly skips a second record with the same ISBN)."""
    for _ in range(9):  # draw as before, so every other generated value (and the query list) stays the same
        rng.randrange(10)
    digits = [9, 7, 8] + [int(c) for c in f"{n * 7919 % 10**9:09d}"]
    check = (10 - sum(d * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits)) % 10) % 10
    return "".join(map(str, digits)) + str(check)


class Catalog:
    """A deterministic generator of catalog-like Documents."""

    def __init__(self, seed: int = 2565):
        self.rng = random.Random(seed)
        thai = [line.split("\t") for line in (HERE / "data" / "thai_word_freq.txt").read_text("utf-8").splitlines()]
        self.thai_words = [w for w, _f in thai]
        self.thai_cum = self._cumulative(int(f) for _w, f in thai)
        english = [w for line in (HERE / "data" / "english_words.txt").read_text("utf-8").splitlines()
                   if not line.startswith("#") for w in line.split()]
        english = list(dict.fromkeys(english))
        syllables = ["ka", "ri", "mo", "ten", "sa", "lo", "ver", "an", "dur", "el", "is", "on", "tra", "mi", "gen",
                     "bor", "ul", "phi", "net", "cor", "ax", "lin", "da", "vo", "que", "ster", "ham", "wick"]
        tail = sorted({"".join(self.rng.choice(syllables) for _ in range(self.rng.randint(2, 4))) for _ in range(60000)})
        self.rng.shuffle(tail)
        self.english_words = english + tail
        self.english_cum = self._cumulative(1.0 / (r + 3) ** 1.05 for r in range(len(self.english_words)))
        self.thai_names = [w for w in self.thai_words[200:8000] if 2 <= len(w) <= 6]
        self.english_names = [t.capitalize() for t in tail[:5000]]
        self.subjects = [self._subject() for _ in range(600)]
        self.subject_cum = self._cumulative(1.0 / (r + 5) for r in range(len(self.subjects)))
        self.publishers = ["สำนักพิมพ์" + self._phrase(True, 1, 2) for _ in range(150)] + [
            self._phrase(False, 1, 2).title() + self.rng.choice((" Press", " Books", " Publishing", ""))
            for _ in range(100)]
        self.branch_cum = self._cumulative(1.0 / (r + 4) for r in range(len(BRANCHES)))

    @staticmethod
    def _cumulative(weights):
        out, total = [], 0.0
        for w in weights:
            total += float(w)
            out.append(total)
        return out

    def _words(self, thai: bool, k: int) -> list[str]:
        if thai:
            return self.rng.choices(self.thai_words, cum_weights=self.thai_cum, k=k)
        return self.rng.choices(self.english_words, cum_weights=self.english_cum, k=k)

    def _phrase(self, thai: bool, lo: int, hi: int) -> str:
        words = self._words(thai, self.rng.randint(lo, hi))
        return "".join(words) if thai else " ".join(words)

    def _subject(self) -> str:
        thai = self.rng.random() < 0.6
        head = self._phrase(thai, 1, 3)
        if self.rng.random() < 0.4:
            head += " -- " + self._phrase(thai, 1, 2)
        return head if thai else head.title()

    def _title(self, thai: bool) -> str:
        k = min(12, max(1, int(self.rng.lognormvariate(1.35, 0.45))))
        main = self._phrase(thai, k, k)
        if self.rng.random() < 0.3:
            main += " : " + self._phrase(thai, 2, 6)
        return main if thai else main.capitalize()

    def _author(self, thai: bool) -> str:
        if thai:
            return f"{self.rng.choice(self.thai_names)} {self.rng.choice(self.thai_names)}{self.rng.choice(self.thai_names)}"
        return f"{self.rng.choice(self.english_names)} {self.rng.choice(self.english_names)}"

    def document(self, doc_id: int):
        from bkklib.search.documents import Document

        rng = self.rng
        language = rng.choices([code for code, _ in LANGUAGES], weights=[w for _, w in LANGUAGES])[0]
        thai = language == "tha"
        title = self._title(thai)
        authors = [self._author(thai) for _ in range(rng.choice((1, 1, 1, 2, 3)))]
        subjects = rng.choices(self.subjects, cum_weights=self.subject_cum, k=rng.randint(1, 3))
        year = min(2025, max(1950, int(2025 - abs(rng.gauss(0, 14)))))
        branches = sorted(set(rng.choices(BRANCHES, cum_weights=self.branch_cum, k=rng.choice((1, 1, 2, 2, 3, 4)))))
        available = [b for b in branches if rng.random() < 0.7]
        notes = self._phrase(thai, 5, 20) if rng.random() < 0.3 else ""
        call_number = (f"{rng.randrange(0, 999):03d}.{rng.randrange(0, 99)} "
                       f"{rng.choice('กขคงจฉชซABCDEFGH')}{rng.randrange(100, 999)}")
        return Document(
            id=doc_id,
            title=title,
            author="; ".join(authors),
            subject="\n".join(subjects),
            isbn=[_isbn13(rng, doc_id)] if rng.random() < 0.85 else [],
            series=self._phrase(thai, 1, 3) if rng.random() < 0.1 else "",
            other=f"{rng.choice(self.publishers)}\n{call_number}\n{notes}",
            facets={
                "branch": branches,
                "material_type": [rng.choices([m for m, _ in MATERIAL_TYPES], weights=[w for _, w in MATERIAL_TYPES])[0]],
                "language": [language],
                "year": [str(year)],
                "availability": (["available"] if available else ["unavailable"]) + [f"available:{b}" for b in available],
            },
            sort_title=title,
            year=year,
        )


def _sub(code: str, value: str) -> dict:
    return {code: value}


def document_marc(doc, n: int) -> dict:
    """Return the MARC-in-JSON record a cataloguer would have made for the synthetic ``doc``.

    Every value the search document holds comes back out of it through the catalog's field
    extraction: title (245 $a, $b after " : "), authors (100, 700), subjects (650 $a with $x
    subdivisions), ISBN (020), series (490), publisher (264), call number (099), notes (500),
    year and language (008), material type (leader/06-07) and one 952 copy per branch, damaged
    ($4) where the document says it is not available there.
    """
    material = doc.facets["material_type"][0]
    language = doc.facets["language"][0]
    leader = "00000n" + LEADER_CODES.get(material, "am") + " a2200000 i 4500"
    fields = [{"001": f"bench{n:08d}"}, {"003": "BKKLIB-BENCH"},
              {"008": f"250608s{doc.year:04d}    th            000 0 {language:3.3} d"}]
    fields += [{"020": {"ind1": " ", "ind2": " ", "subfields": [_sub("a", isbn)]}} for isbn in doc.isbn]
    other = doc.other.split("\n")
    publisher, call_number, notes = other[0], other[1], other[2] if len(other) > 2 else ""
    fields.append({"099": {"ind1": " ", "ind2": " ", "subfields": [_sub("a", call_number)]}})
    authors = [a for a in doc.author.split("; ") if a]
    if authors:
        fields.append({"100": {"ind1": "0", "ind2": " ", "subfields": [_sub("a", authors[0])]}})
    title, _sep, subtitle = doc.title.partition(" : ")
    title_subs = [_sub("a", title + (" :" if subtitle else ""))] + ([_sub("b", subtitle)] if subtitle else [])
    fields.append({"245": {"ind1": "1" if authors else "0", "ind2": "0", "subfields": title_subs}})
    fields.append({"264": {"ind1": " ", "ind2": "1",
                           "subfields": [_sub("a", "กรุงเทพฯ :"), _sub("b", publisher + ","), _sub("c", str(doc.year))]}})
    if doc.series:
        fields.append({"490": {"ind1": "0", "ind2": " ", "subfields": [_sub("a", doc.series)]}})
    if notes:
        fields.append({"500": {"ind1": " ", "ind2": " ", "subfields": [_sub("a", notes)]}})
    for subject in doc.subject.split("\n"):
        head, *subdivisions = subject.split(" -- ")
        fields.append({"650": {"ind1": " ", "ind2": "4",
                               "subfields": [_sub("a", head)] + [_sub("x", x) for x in subdivisions]}})
    fields += [{"700": {"ind1": "0", "ind2": " ", "subfields": [_sub("a", a)]}} for a in authors[1:]]
    available = {v.split(":", 1)[1] for v in doc.facets["availability"] if v.startswith("available:")}
    for copy, branch in enumerate(doc.facets["branch"]):
        subs = [_sub("a", branch), _sub("b", branch), _sub("o", call_number), _sub("p", f"7{n:09d}{copy:02d}"),
                _sub("y", "book")]
        if branch not in available:
            subs.append(_sub("4", "1"))  # damaged: a copy that is not available there
        fields.append({"952": {"ind1": " ", "ind2": " ", "subfields": subs}})
    return {"leader": leader, "fields": fields}


def ensure_bench_branches() -> None:
    """Create the 40 bench branches the 952 copies name (once)."""
    from bkklib.network.models import Branch, District

    district = District.objects.order_by("code").first()
    have = set(Branch.objects.filter(code__in=BRANCHES).values_list("code", flat=True))
    for code in BRANCHES:
        if code not in have:
            Branch.objects.create(code=code, name_th=f"ห้องสมุดทดสอบ {code}", kind=Branch.Kind.PUBLIC_LIBRARY,
                                  district=district, is_demo=True)


def load_queries(path: Path) -> list[dict]:
    """Return the fixed queries: one per line, ``kind<TAB>query[<TAB>options]``, # comments."""
    out = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, rest = line.partition("\t")
        q, _, options = rest.partition("\t")
        spec = {"kind": kind, "q": q, "filters": {}, "year_from": None, "year_to": None, "sort": "relevance", "page": 1}
        for option in filter(None, options.split(";")):
            name, _, value = option.partition("=")
            if name == "year":
                lo, _, hi = value.partition("-")
                spec["year_from"], spec["year_to"] = int(lo) if lo else None, int(hi) if hi else None
            elif name in ("sort",):
                spec["sort"] = value
            elif name == "page":
                spec["page"] = int(value)
            else:
                spec["filters"].setdefault(name, []).append(value)
        out.append(spec)
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[k]


def index_size(conn) -> dict:
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute("SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c WHERE c.relname LIKE 'search_search%%' "
                        "AND c.relkind = 'r'")
            total = int(cur.fetchone()[0] or 0)
            cur.execute("SELECT pg_relation_size('search_doc_tsv')")
            gin = int(cur.fetchone()[0] or 0)
            return {"index_bytes": total, "gin_bytes": gin}
        try:
            cur.execute("SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'search%%' GROUP BY name")
            parts = {name: int(size) for name, size in cur.fetchall()}
            return {"index_bytes": sum(parts.values()),
                    "fts_bytes": sum(v for k, v in parts.items() if k.startswith("search_fts"))}
        except Exception:  # dbstat is an optional SQLite module
            return {"index_bytes": os.path.getsize(conn.settings_dict["NAME"])}


# PostgreSQL server settings that decide what a bulk load costs (reported beside the import figures).
SERVER_SETTINGS = ("shared_buffers", "max_wal_size", "checkpoint_timeout", "wal_compression", "synchronous_commit")


def server_activity(conn) -> dict | None:
    """PostgreSQL's checkpoints, backend-written buffers and WAL position so far (None on SQLite)."""
    if conn.vendor != "postgresql":
        return None
    with conn.cursor() as cur:
        cur.execute("SELECT checkpoints_timed, checkpoints_req, buffers_backend, "
                    "pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') FROM pg_stat_bgwriter")
        timed, requested, backend, wal = cur.fetchone()
        cur.execute("SELECT name, setting || coalesce(unit, '') FROM pg_settings WHERE name = ANY(%s)",
                    [list(SERVER_SETTINGS)])
        settings = dict(cur.fetchall())
    return {"checkpoints_timed": timed, "checkpoints_requested": requested, "buffers_written_by_backends": backend,
            "wal_bytes": int(wal), "settings": settings}


def activity_during(before: dict | None, after: dict | None) -> dict | None:
    if before is None or after is None:
        return None
    out = {k: after[k] - before[k] for k in before if k != "settings"}
    out["wal_mb"] = round(out.pop("wal_bytes") / 2**20)
    out["settings"] = after["settings"]
    return out


def build(n: int, batch: int, via: str, as_imported: bool = False, per_file: bool = False) -> dict:
    from django.db import connection, transaction

    from bkklib.search import index

    catalog = Catalog()
    generated = indexed = 0.0
    done = 0
    started = time.perf_counter()
    chunk = batch if via == "facade" else batch * 10  # the catalog import takes whole files
    activity = server_activity(connection)
    if via == "catalog":
        from bkklib.catalog.importer import import_marc
        from bkklib.catalog.marc.writer import to_iso2709

        ensure_bench_branches()
    # The generated ISO 2709 files are kept under var/bench/ and read again by the next run of the same
    # size (generation is deterministic and not part of the measured import).
    cache = HERE.parent / "var" / "bench" / f"search-iso2709-seed2565-{chunk}"
    names = [cache / f"{start + 1:08d}-{min(n, start + chunk):08d}.mrc" for start in range(0, n, chunk)]
    cached = via == "catalog" and all(name.exists() for name in names)
    if via == "catalog" and not cached:
        cache.mkdir(parents=True, exist_ok=True)
    if via == "catalog" and not per_file:
        # The generated files first (not part of the import), then one import of them all, as a
        # librarian runs it: `bkklib import_marc FILE...` (statistics and merges once, at the end).
        t0 = time.perf_counter()
        for number, name in enumerate(names if not cached else ()):  # in order: one generator makes them all
            first = number * chunk + 1
            name.write_bytes(b"".join(to_iso2709(document_marc(doc, doc.id)) for doc in (
                catalog.document(i) for i in range(first, min(n, first + chunk - 1) + 1))))
        generated = time.perf_counter() - t0

        shown = set()

        def progress(read, _bytes):
            if read % (batch * 50) == 0 and read not in shown:
                shown.add(read)
                print(f"  {read:,} indexed, {read / (time.perf_counter() - t1):,.0f} records/s", file=sys.stderr)

        t1 = time.perf_counter()
        report = import_marc(names, batch_size=batch, progress=progress)
        indexed = time.perf_counter() - t1
        if report.failed or report.created != n:
            raise SystemExit(f"import failed: {report.failed} failed, {report.created} created of {n}")
        done = n
    while done < n:
        t0 = time.perf_counter()
        count = min(n, done + chunk) - done
        if cached:
            data = names[done // chunk].read_bytes()
        else:
            docs = [catalog.document(i) for i in range(done + 1, done + count + 1)]
            if via == "catalog":  # an ISO 2709 file, as another system would export it
                data = b"".join(to_iso2709(document_marc(doc, doc.id)) for doc in docs)
                names[done // chunk].write_bytes(data)
        t1 = time.perf_counter()
        if via == "catalog":  # the real import path: parse, store records and items, index; a transaction a batch
            report = import_marc([data], batch_size=batch)
            if report.failed or report.created != count:
                raise SystemExit(f"import failed: {report.failed} failed, {report.created} created of {count}")
        else:
            with transaction.atomic():
                index.index_documents(docs)
        t2 = time.perf_counter()
        generated += t1 - t0
        indexed += t2 - t1
        done += count
        if done % (batch * 50) == 0:
            print(f"  {done:,} indexed, {done / indexed:,.0f} records/s", file=sys.stderr)
    during_import = activity_during(activity, server_activity(connection))
    t0 = time.perf_counter()
    from bkklib.search.backends import for_connection

    if not as_imported:  # --as-imported: search the index as the import leaves it
        for_connection(connection).optimise()
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("VACUUM ANALYZE search_searchdoc")
                cur.execute("VACUUM ANALYZE search_searchterm")
    optimise = time.perf_counter() - t0
    return {
        "via": via,
        "records": done,
        "batch": batch,
        "index_seconds": round(indexed, 1),
        "index_rate_per_s": round(done / indexed),
        "generate_seconds": round(generated, 1),
        "generated_files_reused": cached,
        "imports": (len(names) if per_file else 1) if via == "catalog" else None,
        "optimise_seconds": round(optimise, 1),
        "wall_seconds": round(time.perf_counter() - started, 1),
        "postgres_server_during_import": during_import,
    }


def run_queries(queries: list[dict], rounds: int) -> dict:
    from bkklib.search import index

    t0 = time.perf_counter()
    index.search("ไทย", facets=FACETS)  # loads this process's facet data (cold start)
    cold = time.perf_counter() - t0
    totals = {}
    first: list[float] = []
    for spec in queries:  # first round: also records how many records each query matches
        t = time.perf_counter()
        result = index.search(spec["q"], filters=spec["filters"], year_from=spec["year_from"], year_to=spec["year_to"],
                              facets=FACETS, sort=spec["sort"], page=spec["page"])
        first.append((time.perf_counter() - t) * 1000)
        if result.query_error:
            raise SystemExit(f"query error for {spec['q']!r}: {result.query_error}")
        totals[spec["q"] + repr(spec["filters"]) + spec["sort"]] = result.total
    latencies: list[float] = []
    by_kind: dict[str, list[float]] = {}
    for _ in range(rounds):
        for spec in queries:
            t = time.perf_counter()
            index.search(spec["q"], filters=spec["filters"], year_from=spec["year_from"], year_to=spec["year_to"],
                         facets=FACETS, sort=spec["sort"], page=spec["page"])
            ms = (time.perf_counter() - t) * 1000
            latencies.append(ms)
            by_kind.setdefault(spec["kind"], []).append(ms)
    return {
        "queries": len(queries),
        "rounds": rounds,
        "facets_per_query": len(FACETS),
        "cold_start_ms": round(cold * 1000),
        # The first time each query runs in this process (broad matches not yet remembered).
        "first_round_p50_ms": round(percentile(first, 50), 1),
        "first_round_p95_ms": round(percentile(first, 95), 1),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "max_ms": round(max(latencies), 1),
        "mean_ms": round(statistics.fmean(latencies), 1),
        "by_kind_p95_ms": {k: round(percentile(v, 95), 1) for k, v in sorted(by_kind.items())},
        "match_counts": totals,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="records in the synthetic catalog")
    parser.add_argument("--batch", type=int, default=2000, help="records per transaction while indexing")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds over the query list")
    parser.add_argument("--queries", type=Path, default=HERE / "search_queries.tsv")
    parser.add_argument("--reuse", action="store_true", help="keep an existing catalog of N records")
    parser.add_argument("--per-file", action="store_true",
                        help="--via catalog: one import_marc call per generated file (as the bench ran until "
                             "3 Dec 2026) instead of one import of them all, as `bkklib import_marc FILE...` runs")
    parser.add_argument("--as-imported", action="store_true",
                        help="no optimise step after the build: queries search the index as the import leaves it")
    parser.add_argument("--via", choices=("catalog", "facade"), default="catalog",
                        help="catalog: generate ISO 2709 and run the catalog's MARC import (parse + store + index); "
                             "facade: index documents through the search facade only")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bkklib.search import index

    call_command("migrate", verbosity=0)
    load_before = os.getloadavg()
    from machine import calibration

    from bkklib.core import processes

    out = {"engine": connection.vendor, "n": args.n, "cpu_count": os.cpu_count(),
           "helper_processes": processes.workers(), "cpu_calibration": calibration()}
    if args.reuse and index.count() == args.n:
        out["build"] = "reused"
    else:
        from bkklib.search.backends import for_connection

        if args.via == "catalog":
            from bkklib.catalog.models import Record

            if Record.objects.exists():
                raise SystemExit("--via catalog imports into an empty catalog: give it a fresh database "
                                 "(or --reuse one that holds exactly N records)")
        with connection.cursor():
            for_connection(connection).clear()
        out["build"] = build(args.n, args.batch, args.via, args.as_imported, args.per_file)
    out["size"] = index_size(connection)
    out["documents"] = index.count()
    queries = load_queries(args.queries)
    result = run_queries(queries, args.rounds)
    counts = result.pop("match_counts")
    broad = {q: c for q, c in counts.items() if c > 0.05 * out["documents"]}
    out["search"] = result
    out["broad_queries_over_5pct"] = len(broad)
    out["zero_hit_queries"] = sum(1 for c in counts.values() if c == 0)
    out["load_average_before"] = [round(x, 2) for x in load_before]
    out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
