#!/usr/bin/env bash
# taskq beside BullMQ and Sidekiq on the same machine and the same Redis, alternating runs (docs/performance.md,
# "taskq beside BullMQ and Sidekiq"). The workload is ProbeBench's (taskq-broker-redis tests,
# io.taskq.redis.bench.probe) and its twins bullmq-probe.mjs and sidekiq-probe.rb: producer and worker in separate processes, every task one RPUSH with
# the worker's own client. Systems: taskq-c8 and taskq-c64 (worker concurrency), bullmq-c50, sidekiq-c8 (8 threads);
# the order of the systems rotates every round. Sidekiq has no job results, so it has no "rt" run.
#
#   bench/side-by-side/run.sh [ROUNDS]   (default 3; env PORT=6420, SYSTEMS="taskq bullmq sidekiq" (a subset runs
#                                        only those), BULLMQ_VERSION=6.7.0, IOREDIS_VERSION=5 (a peer dependency of
#                                        BullMQ 6), WORK=/tmp/taskq-side-by-side, SCENARIOS="latency 200 10 30;rt 5"
#                                        (';'-separated) in place of the default list)
#
# Needs a JDK 17 and Maven (taskq), Node.js with npm (bullmq comes from the npm registry), and redis-server. Sidekiq
# is optional: it runs when ruby can load Sidekiq (Debian 12: apt-get install ruby ruby-sidekiq, Sidekiq 6.4 with
# redis-rb 4.8) and is skipped with a message otherwise. It starts its own redis-server on PORT without persistence
# and flushes it before every run. Prints every RESULT line and, at the end, the median of each scenario per system.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
port=${PORT:-6420}
bullmq_version=${BULLMQ_VERSION:-6.7.0}
work=${WORK:-/tmp/taskq-side-by-side}
url="redis://127.0.0.1:${port}/0"
systems=${SYSTEMS:-taskq bullmq sidekiq}
has() { [[ " $systems " == *" $1 "* ]]; }
mkdir -p "$work"
results="$work/results.txt"
: >"$results"

if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --logfile "$work/redis.log" --pidfile "$work/redis.pid"
  trap 'kill "$(cat "$work/redis.pid")" 2>/dev/null || true' EXIT
  for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

if has taskq; then
  echo "== building taskq's benchmark classes"
  mvn -q -B -ntp -pl taskq-broker-redis -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test
  cp="taskq-broker-redis/target/test-classes:taskq-broker-redis/target/classes:$(cat taskq-broker-redis/target/bench-cp.txt)"
fi

if has bullmq; then
  echo "== installing bullmq@${bullmq_version} into $work"
  cp bench/side-by-side/bullmq-probe.mjs "$work/"
  (cd "$work" && { [ -f package.json ] || echo '{"private":true,"type":"module"}' >package.json; } \
    && npm install --no-audit --no-fund --silent "bullmq@${bullmq_version}" "ioredis@${IOREDIS_VERSION:-5}" >/dev/null)
fi

if has sidekiq; then
  if version=$(ruby -e 'require "sidekiq"; require "connection_pool"; print Sidekiq::VERSION' 2>/dev/null); then
    echo "== sidekiq $version ($(ruby -e 'print RUBY_VERSION'))"
  else
    echo "== skipping sidekiq: ruby or its sidekiq gem is not installed (Debian: apt-get install ruby ruby-sidekiq)"
    systems=${systems//sidekiq/}
  fi
fi

worker_pid=
start_worker() { # system concurrency prefix
  case "$1" in
    taskq) java -cp "$cp" io.taskq.redis.bench.probe.ProbeBench worker "$url" "$3" "$2" >"$work/worker.log" 2>&1 & ;;
    bullmq) node "$work/bullmq-probe.mjs" worker "$url" "$3" "$2" >"$work/worker.log" 2>&1 & ;;
    sidekiq) ruby bench/side-by-side/sidekiq-probe.rb worker "$url" "$3" "$2" >"$work/worker.log" 2>&1 & ;;
  esac
  worker_pid=$!
}
stop_worker() {
  kill "$worker_pid" 2>/dev/null || true
  wait "$worker_pid" 2>/dev/null || true
}
drive() { # system label prefix scenario args...
  local system=$1 label=$2 prefix=$3
  shift 3
  local line
  local -a driver
  case "$system" in
    taskq) driver=(java -cp "$cp" io.taskq.redis.bench.probe.ProbeBench) ;;
    bullmq) driver=(node "$work/bullmq-probe.mjs") ;;
    sidekiq) driver=(ruby bench/side-by-side/sidekiq-probe.rb) ;;
  esac
  line=$("${driver[@]}" drive "$url" "$prefix" "$@" 2>"$work/drive.err" | grep '^RESULT' || true)
  if [ -z "$line" ]; then
    echo "no result from $label $*: $(tail -n 5 "$work/drive.err")" >&2
    return 1
  fi
  echo "$line" | sed "s/system=[a-z]*/system=$label/" | tee -a "$results"
}
run_one() { # system concurrency label scenario args...
  local system=$1 conc=$2 label=$3
  shift 3
  redis-cli -p "$port" flushall >/dev/null
  local prefix="sbs$RANDOM"
  start_worker "$system" "$conc" "$prefix"
  drive "$system" "$label" "$prefix" "$@" || true
  stop_worker
}

read -r -a order <<<"$systems"
if [ ${#order[@]} -eq 0 ]; then
  echo "no system to run (SYSTEMS=${SYSTEMS:-})" >&2
  exit 1
fi
for round in $(seq 1 "$rounds"); do
  echo "== round $round of $rounds (${order[*]})"
  IFS=';' read -r -a scenarios <<<"${SCENARIOS:-process 2000 20000;process 60000 20000;latency 200 10;latency 2000 10;one 20000;bulk 200000;rt 5}"
  for scenario in "${scenarios[@]}"; do
    for system in "${order[@]}"; do
      case "$system:$scenario" in
        taskq:process*) run_one taskq 8 taskq-c8 $scenario; run_one taskq 64 taskq-c64 $scenario ;;
        taskq:*) run_one taskq 8 taskq-c8 $scenario ;;
        bullmq:*) run_one bullmq 50 bullmq-c50 $scenario ;;
        sidekiq:rt*) ;; # no job results to wait for
        sidekiq:*) run_one sidekiq 8 sidekiq-c8 $scenario ;;
      esac
    done
  done
  order=("${order[@]:1}" "${order[0]}") # the first system of this round runs last in the next
done

echo "== medians ($rounds rounds; $results)"
python3 - "$results" <<'PY'
import re, statistics, sys, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    m = re.match(r"RESULT system=(\S+) scenario=(\S+) value=(\S+) unit=(.*)", line.strip())
    if m:
        runs[(m[2], m[4], m[1])].append(float(m[3]))
for (scenario, unit, system), values in sorted(runs.items()):
    print(f"{scenario:32} {system:12} median {statistics.median(values):12,.2f} {unit}   runs {', '.join(f'{v:,.1f}' for v in values)}")
PY
