"""Throughput of the scan pipeline on the bundled demo conversations.

Baseline: reading and grouping the same JSON Lines (the part of `scan` that is not
detection), measured in the same run, so the ratio says what detection costs.
"""

from __future__ import annotations

import argparse
import statistics
import time

from childguard.cli.demo import demo_path
from childguard.engine import Engine
from childguard.interchange import LineError, load_conversations


def _lines(repeat: int) -> list[str]:
    base = demo_path().read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    for i in range(repeat):
        # Distinct ids per copy so every copy is a separate conversation.
        out.extend(x.replace('"demo-', f'"r{i}-demo-') for x in base)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50, help="copies of the demo file")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    lines = _lines(args.repeat)
    engine = Engine()
    parse_s, scan_s = [], []
    messages = 0
    for _ in range(args.runs):
        t0 = time.perf_counter()
        errors: list[LineError] = []
        cs = load_conversations(lines, errors)
        convs = list(cs.conversations())
        t1 = time.perf_counter()
        for c in convs:
            engine.scan(c)
        t2 = time.perf_counter()
        parse_s.append(t1 - t0)
        scan_s.append(t2 - t1)
        messages = cs.message_count
    p, s = statistics.median(parse_s), statistics.median(scan_s)
    print(f"messages per run: {messages}")
    print(f"baseline (parse + group): {messages / p:,.0f} msg/s  median {p * 1000:.1f} ms")
    print(f"scan (detect + decide):   {messages / s:,.0f} msg/s  median {s * 1000:.1f} ms")
    print(f"ratio scan/baseline time: {s / p:.1f}x")


if __name__ == "__main__":
    main()
