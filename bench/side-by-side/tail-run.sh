#!/usr/bin/env bash
# The latency scenario of run.sh with every probe kept and the machine's scheduler recorded, then tail.py on each
# run: which of the slowest probes a JVM safepoint, the submit call, the worker or a kernel thread's run explains
# (docs/performance.md, "Where the time goes"). Systems rotate every round as in run.sh.
#
#   bench/side-by-side/tail-run.sh [ROUNDS] [RATE] [SECONDS] [WARM]   (defaults 2 200 10 30; env PORT, SYSTEMS,
#                                                                     WORK as run.sh; OUT=dir for the runs)
#
# Needs what run.sh needs (run it once first: it installs BullMQ into WORK and builds the benchmark's classpath),
# and perf with the sched:sched_switch tracepoint (root). perf records on the monotonic clock (-k mono), the clock
# of the probes' times in all three systems.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-2} rate=${2:-200} seconds=${3:-10} warm=${4:-30}
port=${PORT:-6420}
work=${WORK:-/tmp/taskq-side-by-side}
out=${OUT:-$work/tail}
url="redis://127.0.0.1:${port}/0"
read -r -a order <<<"${SYSTEMS:-taskq bullmq sidekiq}"
redis-cli -p "$port" ping >/dev/null || { echo "no redis-server on port $port (run.sh starts one)" >&2; exit 1; }
[ -f taskq-broker-redis/target/bench-cp.txt ] || { echo "run bench/side-by-side/run.sh once first" >&2; exit 1; }
cp="taskq-broker-redis/target/test-classes:taskq-broker-redis/target/classes:$(cat taskq-broker-redis/target/bench-cp.txt)"
cp bench/side-by-side/bullmq-probe.mjs "$work/"

one_run() { # system dir
  local system=$1 d=$2 prefix="tail$RANDOM" wp pp
  mkdir -p "$d"
  redis-cli -p "$port" flushall >/dev/null
  local log="-Xlog:safepoint:file=$d/worker-safepoints.log:uptimenanos"
  # Each started in the background by itself, so that $! is the worker's own pid and the kill below ends it.
  case "$system" in
    taskq) java -Dprobe.dump="$d" "$log" -cp "$cp" io.taskq.redis.bench.probe.ProbeBench worker "$url" "$prefix" 8 \
      >"$d/worker.log" 2>&1 & ;;
    bullmq) node "$work/bullmq-probe.mjs" worker "$url" "$prefix" 50 >"$d/worker.log" 2>&1 & ;;
    sidekiq) ruby bench/side-by-side/sidekiq-probe.rb worker "$url" "$prefix" 8 >"$d/worker.log" 2>&1 & ;;
  esac
  wp=$!
  perf record -q -k mono -e sched:sched_switch -a -o "$d/perf.data" -- sleep $((warm + seconds + 30)) >/dev/null 2>&1 &
  pp=$!
  case "$system" in
    taskq) PROBE_DUMP= java -Dprobe.dump="$d" "-Xlog:safepoint:file=$d/producer-safepoints.log:uptimenanos" \
      -cp "$cp" io.taskq.redis.bench.probe.ProbeBench drive "$url" "$prefix" latency "$rate" "$seconds" "$warm" ;;
    bullmq) PROBE_DUMP="$d" node "$work/bullmq-probe.mjs" drive "$url" "$prefix" latency "$rate" "$seconds" "$warm" ;;
    sidekiq) PROBE_DUMP="$d" ruby bench/side-by-side/sidekiq-probe.rb drive "$url" "$prefix" latency "$rate" "$seconds" \
      "$warm" ;;
  esac 2>"$d/drive.err" | grep '^RESULT' | tee "$d/result.txt"
  kill "$pp" 2>/dev/null || true
  wait "$pp" 2>/dev/null || true
  kill "$wp" 2>/dev/null || true
  wait "$wp" 2>/dev/null || true
  perf script -i "$d/perf.data" >"$d/sched.txt" 2>/dev/null
  rm -f "$d/perf.data"
  python3 bench/side-by-side/tail.py "$d"
}

for round in $(seq 1 "$rounds"); do
  for system in "${order[@]}"; do
    echo "== round $round: $system at $rate/s"
    one_run "$system" "$out/$system-$rate-$round"
  done
  order=("${order[@]:1}" "${order[0]}")
done
