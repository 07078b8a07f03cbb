"""Shared by the benchmark scripts: percentiles and one-line reports."""
from __future__ import annotations


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def report(label: str, latencies: list[float], elapsed: float) -> float:
    ms = [x * 1000 for x in latencies]
    rate = len(latencies) / elapsed
    print(f"{label:<28} {rate:8.1f} req/s   p50 {percentile(ms, 50):6.2f} ms   p95 {percentile(ms, 95):6.2f} ms"
          f"   p99 {percentile(ms, 99):6.2f} ms")
    return rate
