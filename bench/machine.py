"""How fast this machine's cores are today: a fixed pure-Python workload, timed (bench JSON ``cpu_calibration``).

Benchmark figures taken at different times are only comparable when the machine's cores are equally
fast, and on the shared 2-core test machines they are not always (the same code has measured 3-5x
apart on different days).
``calibration()`` times a fixed loop of integer additions and dictionary look-ups; a bench reports
it beside its figures so that a reader can scale them.
"""
from __future__ import annotations

import time


def _work() -> int:
    table = {i: i * 7 for i in range(1000)}
    total = 0
    for i in range(2_000_000):
        total += table[i % 1000]
    return total


def calibration(rounds: int = 3) -> dict:
    """Return the best CPU time of ``rounds`` runs of the fixed workload, in milliseconds."""
    best = None
    for _ in range(rounds):
        start = time.process_time()
        _work()
        spent = (time.process_time() - start) * 1000
        best = spent if best is None else min(best, spent)
    return {"fixed_python_loop_ms": round(best, 1),
            "note": "CPU time of 2,000,000 dict look-ups and additions; lower is a faster core"}
