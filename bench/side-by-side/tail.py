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

If DIR also holds sched.txt, the `perf script` text of the scheduler switches recorded on the monotonic clock
during the run (`perf record -k mono -e sched:sched_switch -a -o DIR/perf.data`, then
`perf script -i DIR/perf.data > DIR/sched.txt`), every probe is also checked against the times a kernel thread
ran: by default the kernel's memory monitor kdamond (DAMON), which on this project's VM runs for 1.5 - 4 ms every
512 ms, and during which other threads' wake-ups wait. The script prints how many of the slow probes and how many
of all probes overlapped such a run, how many of the slow ones would by chance (moved in time), (the first far above the second means the stalls make the tail), and the
percentiles of the probes that overlapped none.
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


def kernel_runs(d, name=r"kdamond"):
    """The intervals [from, to] (monotonic ns) in which a thread whose name matches ran, from sched.txt."""
    path = os.path.join(d, "sched.txt")
    if not os.path.exists(path):
        return None
    out, since = [], {}
    pat = re.compile(r"\s(\d+\.\d+): sched:sched_switch: prev_comm=(.*?) prev_pid=(\d+) .*"
                     r"==> next_comm=(.*?) next_pid=(\d+)")
    for line in open(path):
        m = pat.search(line)
        if not m:
            continue
        t = int(round(float(m[1]) * 1e9))
        if re.match(name, m[2]) and m[3] in since:
            out.append((since.pop(m[3]), t, m[2]))
        if re.match(name, m[4]):
            since[m[5]] = t
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
    kr = kernel_runs(d)
    for c, v in classes.items():
        med = f"{statistics.median(v) / 1e6:.2f} ms" if v else "-"
        print(f"  {c:16} {len(v):5}  median {med}")
    if kr is not None:
        slow = [(u, s) for u, _, s in probes if s - u >= cut]
        hit_slow = sum(1 for u, s in slow if overlaps(kr, u, s))
        hit_all = sum(1 for u, _, s in probes if overlaps(kr, u, s))
        ran = sum(t - f for f, t, _ in kr) / max(1, len(kr)) / 1e6
        print(f"kernel thread runs (kdamond): {len(kr)}, {ran:.2f} ms on average; overlapped by {hit_slow} of "
              f"{len(slow)} slow probes ({100 * hit_slow / max(1, len(slow)):.0f} %) and {hit_all} of "
              f"{len(probes)} probes ({100 * hit_all / max(1, len(probes)):.1f} %)")
        shifts = range(37_000_000, 450_000_000, 25_000_000)  # the same probes moved in time: the chance level
        chance = statistics.mean(sum(1 for u, s in slow if overlaps(kr, u + k, s + k)) for k in shifts)
        print(f"  by chance (the slow probes moved by 37 - 437 ms): {chance:.1f} of {len(slow)}")
        clear = sorted(s - u for u, _, s in probes if not overlaps(kr, u, s))
        if clear:
            at = lambda q: clear[min(len(clear) - 1, int(len(clear) * q))] / 1e6
            print(f"the {len(clear)} probes that overlapped none: p50 {at(0.5):.2f} / p99 {at(0.99):.2f} / "
                  f"p99.9 {at(0.999):.2f} ms")


if __name__ == "__main__":
    main()
