#!/usr/bin/env python3
"""Where the slow probes of a latency run spent their time (docs/performance.md, "Where the tail comes from").

    tail.py DIR [PERCENTILE]      (default 99)

DIR is ProbeBench's -Dprobe.dump directory of one latency run whose two JVMs also logged
-Xlog:safepoint:file=DIR/{worker,producer}-safepoints.log:uptimenanos. Every probe slower than the percentile is
put in the first class that explains it:
  producer pause  a safepoint (GC or other) of the producer JVM overlapped its submit call
  worker pause    a safepoint of the worker JVM overlapped the time from its submit to its start
  submit call     its submit call (the producer's Redis round trip) took more than half of its latency
  worker wake-up  none of these: the time went in the worker's claim and hand-offs to a running task thread
and the table says how many probes each class has and their median latency.
"""
import os
import re
import statistics
import sys

MARGIN = 500_000  # ns: JVM start times are known to the millisecond


def start(d, who):
    return int(open(os.path.join(d, f"{who}-start.txt")).read().split()[0])


def pauses(d, who):
    """Safepoint intervals [from, to] on the monotonic clock."""
    path = os.path.join(d, f"{who}-safepoints.log")
    if not os.path.exists(path):
        return []
    base = start(d, who)
    out = []
    for line in open(path):
        m = re.match(r"\[(\d+)ns\].*Total: (\d+) ns", line)
        if m:
            end = base + int(m[1])
            out.append((end - int(m[2]) - MARGIN, end + MARGIN, line.strip()))
    return out


def overlaps(intervals, a, b):
    return any(f <= b and t >= a for f, t, _ in intervals)


def main():
    d = sys.argv[1]
    pct = float(sys.argv[2]) if len(sys.argv) > 2 else 99.0
    probes = [tuple(map(int, l.split())) for l in open(os.path.join(d, "probes.txt")) if l.strip()]
    lat = sorted(s - u for u, _, s in probes)
    cut = lat[min(len(lat) - 1, int(len(lat) * pct / 100))]
    wp, pp = pauses(d, "worker"), pauses(d, "producer")
    classes = {"producer pause": [], "worker pause": [], "submit call": [], "worker wake-up": []}
    for submitted, returned, started in probes:
        latency = started - submitted
        if latency < cut:
            continue
        if overlaps(pp, submitted, returned):
            c = "producer pause"
        elif overlaps(wp, submitted, started):
            c = "worker pause"
        elif returned - submitted > latency / 2:
            c = "submit call"
        else:
            c = "worker wake-up"
        classes[c].append(latency)
    n = sum(len(v) for v in classes.values())
    print(f"{len(probes)} probes; p{pct:g} = {cut / 1e6:.2f} ms; {n} at or above it; safepoints: worker "
          f"{len(wp)}, producer {len(pp)}")
    for c, v in classes.items():
        med = f"{statistics.median(v) / 1e6:.2f} ms" if v else "-"
        print(f"  {c:16} {len(v):5}  median {med}")


if __name__ == "__main__":
    main()
