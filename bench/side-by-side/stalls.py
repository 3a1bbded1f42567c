#!/usr/bin/env python3
"""Whether this machine stalls wake-ups, and whether a given thread's runs are why (docs/performance.md, "Where
the time goes").

    stalls.py [SECONDS] [PID]      (default 6 s; PID of a thread to watch, default the first kdamond found)

Sleeps 0.5 ms at a time and prints every wake-up that came more than 0.8 ms late, with how long the watched thread
ran in the same interval (from /proc/PID/schedstat), then the watched thread's runs over 0.1 ms. On a quiet machine
late wake-ups that line up with the watched thread's runs are stalls the whole machine shares.
"""
import os
import sys
import time


def kdamond():
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if open(f"/proc/{pid}/comm").read().startswith("kdamond"):
                    return pid
            except OSError:
                pass
    return None


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 6.0
    pid = sys.argv[2] if len(sys.argv) > 2 else kdamond()
    if pid is None:
        sys.exit("no kdamond thread here (DAMON is not running); give a PID to watch")

    def ran():
        with open(f"/proc/{pid}/schedstat") as f:
            return int(f.read().split()[0])

    t0 = time.monotonic_ns()
    end, prev, prev_ran = t0 + int(seconds * 1e9), t0, ran()
    late, runs = [], []
    while True:
        time.sleep(0.0005)
        now, r = time.monotonic_ns(), ran()
        if r - prev_ran > 100_000:
            runs.append(((now - t0) / 1e9, (r - prev_ran) / 1e6))
        if now - prev - 500_000 > 800_000:
            late.append(((now - t0) / 1e9, (now - prev - 500_000) / 1e6, (r - prev_ran) / 1e6))
        prev, prev_ran = now, r
        if now > end:
            break
    print(f"late wake-ups (> 0.8 ms) in {seconds:g} s: {len(late)}; "
          f"{sum(1 for x in late if x[2] > 0.1)} while thread {pid} ran")
    for t, gap, r in late:
        print(f"  at {t:7.3f} s  {gap:5.2f} ms late  thread {pid} ran {r:5.2f} ms")
    print(f"thread {pid}'s runs over 0.1 ms: {len(runs)}")
    for t, r in runs:
        print(f"  at {t:7.3f} s  {r:5.2f} ms")


if __name__ == "__main__":
    main()
