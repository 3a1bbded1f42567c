# frozen_string_literal: true

# The probe workload of ProbeBench (taskq-broker-redis tests, io.taskq.redis.bench.probe) and bullmq-probe.mjs on
# Sidekiq 6 (Debian's ruby-sidekiq), so that the three run the same tasks on the same Redis: every job reads the
# monotonic clock and does one RPUSH of "<start> <submitted>" with the worker's own Redis connections (shared by its
# threads). Sidekiq keeps no job results.
#
#   ruby sidekiq-probe.rb worker URL PREFIX CONCURRENCY         runs a Sidekiq server process until killed (TERM)
#   ruby sidekiq-probe.rb drive URL PREFIX process WARMUP N     warm-up jobs, then N held back, released at once
#   ruby sidekiq-probe.rb drive URL PREFIX latency RATE SECONDS [WARM] paced pushes, push-to-start percentiles
#                                                                 after WARM s (default 5) at four times the rate
#                                                                 (env PROBE_DUMP=DIR: DIR/probes.txt as ProbeBench's
#                                                                 -Dprobe.dump, for tail.py)
#   ruby sidekiq-probe.rb drive URL PREFIX one N                Sidekiq::Client.push one by one (warm), not consumed
#   ruby sidekiq-probe.rb drive URL PREFIX bulk N               Sidekiq::Client.push_bulk of 1,000 (warm), not consumed
#
# There is no "rt" scenario: Sidekiq has no job results to wait for (drive ... rt exits with status 2).
#
# How it maps onto the others:
# - Keys. Sidekiq 6 has no key prefix of its own (only the redis-namespace gem, which wraps every command and so
#   would slow Sidekiq down), so PREFIX names the queue ("PREFIX-probe") and the probe's keys; Sidekiq's own
#   global keys ("queues", "processes", "stat:*") are shared, which is harmless because run.sh flushes Redis before
#   every run and runs one worker at a time.
# - Pause. Sidekiq OSS cannot pause a queue. "process", "one" and "bulk" push to a held queue that the worker does
#   not listen to ("PREFIX-held"), through the ordinary client path (the same MULTI of SADD queues and LPUSH as any
#   push). "process" then releases the held jobs with one RENAME of the held list onto the worker's queue, which
#   wakes the worker's BRPOPs at once: that is also what BullMQ's Queue.resume does (a RENAME of its paused list),
#   and the worker has been running, warm and idle, as taskq's and BullMQ's are while paused.
# - The probe's connections. Lettuce and ioredis multiplex one connection among concurrent tasks; a redis-rb
#   connection serves one command at a time, so the worker's threads share a pool of CONCURRENCY connections of
#   their own (not Sidekiq's fetch pool), so that every thread can have its RPUSH in flight as with the others.
# - Logging. The worker logs at WARN: Sidekiq's default INFO writes two lines per job (start, done), which neither
#   taskq's nor BullMQ's worker does, and which would measure the logger rather than the queue.
# - Clock. Process.clock_gettime(CLOCK_MONOTONIC, :nanosecond) is the clock of Java's System.nanoTime and of Node's
#   process.hrtime on Linux, one for every process of the host, so the producer's and the worker's times subtract.
require "sidekiq"
require "connection_pool"
require "redis"

# Sidekiq 6.4 calls redis-rb 4.8 (Debian's pair) in ways it deprecates (BRPOP's positional timeout, SADD's return
# value): without this, every fetch and every push writes a warning to stderr.
Redis.silence_deprecations = true

mode, url, prefix, *rest = ARGV
abort "usage: worker URL PREFIX CONCURRENCY | drive URL PREFIX SCENARIO ARGS..." if prefix.nil?
QUEUE = "#{prefix}-probe"
HELD = "#{prefix}-held"
OUT = "#{prefix}:probe:out"
READY = "#{prefix}:probe:ready"

def now
  Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)
end

# The probe: when it started and the producer's clock at push.
class Probe
  include Sidekiq::Worker
  sidekiq_options retry: false

  class << self
    attr_accessor :redis
  end

  def perform(submitted)
    start = now
    Probe.redis.with { |r| r.rpush(OUT, "#{start} #{submitted}") }
  end
end

def result(scenario, value, unit)
  puts format("RESULT system=sidekiq scenario=%s value=%.3f unit=%s", scenario, value, unit)
end

def wait_until(seconds, what)
  deadline = now + seconds * 1_000_000_000
  until yield
    raise "timed out waiting for #{what}" if now > deadline

    sleep 0.005
  end
end

def worker(url, concurrency)
  require "sidekiq/cli"
  cli = Sidekiq::CLI.instance
  # The script itself is the "application" (-r is only checked to exist): the worker class is defined above.
  cli.parse(["-c", concurrency.to_s, "-q", QUEUE, "-r", File.expand_path(__FILE__), "-e", "production", "-t", "2"])
  Sidekiq.logger.level = Logger::WARN
  Probe.redis = ConnectionPool.new(size: concurrency, timeout: 5) { Redis.new(url: url) }
  Sidekiq.configure_server do |config|
    config.redis = { url: url }
    # The first heartbeat comes as the launcher starts its processors.
    config.on(:heartbeat) { Sidekiq.redis { |c| c.set(READY, "1") } }
  end
  puts "worker ready, concurrency #{concurrency}"
  cli.run(boot_app: false)
end

def drive(url, scenario, args)
  Sidekiq.logger.level = Logger::WARN
  Sidekiq.configure_client { |config| config.redis = { url: url, size: 1 } }
  redis = Redis.new(url: url)
  push_bulk = lambda do |queue, n, t|
    (0...n).step(1000) do |i|
      Sidekiq::Client.push_bulk("class" => Probe, "queue" => queue, "args" => Array.new([1000, n - i].min) { [t] })
    end
  end
  push_one = ->(queue, t) { Sidekiq::Client.push("class" => Probe, "queue" => queue, "args" => [t]) }
  drain = ->(n) { wait_until(600, "#{n} probes") { redis.llen(OUT) >= n } }
  wait_until(60, "a worker") { redis.get(READY) == "1" }
  case scenario
  when "process"
    warmup, n = args.map { |a| Integer(a) }
    if warmup.positive?
      push_bulk.call(QUEUE, warmup, 0)
      drain.call(warmup)
    end
    redis.del(OUT)
    push_bulk.call(HELD, n, 0)
    redis.rename("queue:#{HELD}", "queue:#{QUEUE}")
    drain.call(n)
    starts = redis.lrange(OUT, 0, -1).map { |r| Integer(r.split(" ")[0]) }.sort
    result("process-#{n}-after-#{warmup}", n / ((starts[-1] - starts[0]) / 1e9), "tasks/s")
  when "latency"
    rate, seconds, warm_seconds = args.map { |a| Integer(a) }
    returned = {} # submit time -> the push's return, for PROBE_DUMP
    paced = lambda do |per_second, n|
      interval = 1_000_000_000 / per_second
      nxt = now
      n.times do
        while (wait = nxt - now).positive?
          sleep(wait / 1e9)
        end
        t = now
        push_one.call(QUEUE, t)
        returned[t] = now
        nxt += interval
      end
    end
    warm = 4 * rate * (warm_seconds || [5, seconds / 2].max)
    paced.call(4 * rate, warm)
    drain.call(warm)
    redis.del(OUT)
    returned.clear
    n = rate * seconds
    paced.call(rate, n)
    drain.call(n)
    records = redis.lrange(OUT, 0, -1).map { |r| r.split(" ").map { |x| Integer(x) } }
    if ENV["PROBE_DUMP"]
      File.write(File.join(ENV["PROBE_DUMP"], "probes.txt"), records.map { |s, t| "#{t} #{returned[t]} #{s}\n" }.join)
    end
    lat = records.map { |s, t| s - t }.sort
    result("latency-#{rate}/s-p50", lat[lat.size / 2] / 1e6, "ms")
    result("latency-#{rate}/s-p99", lat[(lat.size * 0.99).floor] / 1e6, "ms")
    result("latency-#{rate}/s-p99.9", lat[(lat.size * 0.999).floor] / 1e6, "ms")
  when "one"
    n = Integer(args[0])
    n.times { push_one.call(HELD, 0) }
    start = now
    n.times { push_one.call(HELD, 0) }
    result("enqueue-one-by-one", n / ((now - start) / 1e9), "tasks/s")
  when "bulk"
    n = Integer(args[0])
    push_bulk.call(HELD, n, 0)
    start = now
    push_bulk.call(HELD, n, 0)
    result("enqueue-bulk-1000", n / ((now - start) / 1e9), "tasks/s")
  when "rt"
    warn "sidekiq has no job results: no round-trip scenario"
    exit 2
  else
    abort "unknown scenario #{scenario}"
  end
  redis.close
end

case mode
when "worker" then worker(url, Integer(rest[0]))
when "drive" then drive(url, rest[0], rest[1..])
else abort "unknown mode #{mode}"
end
