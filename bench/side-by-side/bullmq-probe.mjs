// The probe workload of ProbeBench (taskq-broker-redis tests, io.taskq.redis.bench.probe) on BullMQ, so that both
// (and Sidekiq, sidekiq-probe.rb) run the same tasks on the same Redis: every task reads the monotonic clock and does
// one RPUSH with the worker's own Redis connection (shared by its concurrent jobs). Results of probes are not kept
// (removeOnComplete).
//
//   node bullmq-probe.mjs worker URL PREFIX CONCURRENCY         runs a worker until killed
//   node bullmq-probe.mjs drive URL PREFIX process WARMUP N     warm-up jobs, then N added while paused, resumed
//   node bullmq-probe.mjs drive URL PREFIX latency RATE SECONDS [WARM] paced adds, add-to-start percentiles
//                                                               after WARM s (default 5) at four times the rate
//                                                               (env PROBE_DUMP=DIR: DIR/probes.txt as ProbeBench's
//                                                               -Dprobe.dump, for tail.py)
//   node bullmq-probe.mjs drive URL PREFIX one N                one-by-one adds (warm), queue paused
//   node bullmq-probe.mjs drive URL PREFIX bulk N               addBulk of 1,000 at a time (warm), queue paused
//   node bullmq-probe.mjs drive URL PREFIX rt SECONDS           sequential add then waitUntilFinished
//
// process.hrtime.bigint() is CLOCK_MONOTONIC on Linux, the same clock as Java's System.nanoTime, one for every
// process of the host.
import { writeFileSync } from 'node:fs';
import { Queue, QueueEvents, Worker } from 'bullmq';
import IORedis from 'ioredis';

const [mode, url, prefix, ...rest] = process.argv.slice(2);
const QUEUE = 'probe';
const out = `${prefix}:probe:out`;
const ready = `${prefix}:probe:ready`;
const connection = () => new IORedis(url, { maxRetriesPerRequest: null });
const now = () => process.hrtime.bigint();

function result(scenario, value, unit) {
  console.log(`RESULT system=bullmq scenario=${scenario} value=${value.toFixed(3)} unit=${unit}`);
}

async function until(seconds, what, condition) {
  const deadline = Date.now() + seconds * 1000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function worker(concurrency) {
  const redis = connection();
  const w = new Worker(QUEUE, async (job) => {
    if (job.name === 'echo') return job.data.x;
    const start = now();
    await redis.rpush(out, `${start} ${job.data.t}`);
    return undefined;
  }, { connection: connection(), prefix, concurrency });
  await w.waitUntilReady();
  await redis.set(ready, '1');
  console.log(`worker ready, concurrency ${concurrency}`);
  const stop = async () => { await w.close(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function drive(scenario, args) {
  const redis = connection();
  const queue = new Queue(QUEUE, { connection: connection(), prefix });
  const opts = { removeOnComplete: true, removeOnFail: true };
  const probe = (t) => ({ name: 'probe', data: { t: String(t) }, opts });
  const addProbes = async (n, t) => {
    for (let i = 0; i < n; i += 1000) {
      const batch = [];
      for (let j = i; j < Math.min(n, i + 1000); j++) batch.push(probe(t));
      await queue.addBulk(batch);
    }
  };
  const drain = (n) => until(600, `${n} probes`, async () => (await redis.llen(out)) >= n);
  await until(60, 'a worker', async () => (await redis.get(ready)) === '1');
  switch (scenario) {
    case 'process': {
      const [warmup, n] = args.map(Number);
      if (warmup > 0) { await addProbes(warmup, 0); await drain(warmup); }
      await redis.del(out);
      await queue.pause();
      await addProbes(n, 0);
      await queue.resume();
      await drain(n);
      const starts = (await redis.lrange(out, 0, -1)).map((r) => BigInt(r.split(' ')[0])).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const secs = Number(starts[starts.length - 1] - starts[0]) / 1e9;
      result(`process-${n}-after-${warmup}`, n / secs, 'tasks/s');
      break;
    }
    case 'latency': {
      const [rate, seconds, warmSeconds] = args.map(Number);
      const returned = new Map(); // submit time -> the add's return, for PROBE_DUMP
      const paced = async (perSecond, n) => {
        const interval = 1e9 / perSecond;
        let next = Number(now());
        for (let i = 0; i < n; i++) {
          const wait = next - Number(now());
          if (wait > 1e6) await new Promise((r) => setTimeout(r, Math.floor(wait / 1e6)));
          const t = String(now());
          await queue.add('probe', { t }, opts);
          returned.set(t, String(now()));
          next += interval;
        }
      };
      const warm = 4 * rate * (warmSeconds || Math.max(5, Math.floor(seconds / 2)));
      await paced(4 * rate, warm);
      await drain(warm);
      await redis.del(out);
      returned.clear();
      const n = rate * seconds;
      await paced(rate, n);
      await drain(n);
      const records = await redis.lrange(out, 0, -1);
      if (process.env.PROBE_DUMP) {
        const lines = records.map((r) => r.split(' ')).map(([s, t]) => `${t} ${returned.get(t)} ${s}\n`);
        writeFileSync(`${process.env.PROBE_DUMP}/probes.txt`, lines.join(''));
      }
      const lat = records.map((r) => {
        const [s, t] = r.split(' ');
        return Number(BigInt(s) - BigInt(t));
      }).sort((a, b) => a - b);
      result(`latency-${rate}/s-p50`, lat[Math.floor(lat.length / 2)] / 1e6, 'ms');
      result(`latency-${rate}/s-p99`, lat[Math.floor(lat.length * 0.99)] / 1e6, 'ms');
      result(`latency-${rate}/s-p99.9`, lat[Math.floor(lat.length * 0.999)] / 1e6, 'ms');
      break;
    }
    case 'one': {
      const [n] = args.map(Number);
      await queue.pause();
      for (let i = 0; i < n; i++) await queue.add('probe', { t: '0' }, opts);
      const start = now();
      for (let i = 0; i < n; i++) await queue.add('probe', { t: '0' }, opts);
      result('enqueue-one-by-one', n / (Number(now() - start) / 1e9), 'tasks/s');
      break;
    }
    case 'bulk': {
      const [n] = args.map(Number);
      await queue.pause();
      await addProbes(n, 0);
      const start = now();
      await addProbes(n, 0);
      result('enqueue-bulk-1000', n / (Number(now() - start) / 1e9), 'tasks/s');
      break;
    }
    case 'rt': {
      const [seconds] = args.map(Number);
      const events = new QueueEvents(QUEUE, { connection: connection(), prefix });
      await events.waitUntilReady();
      const echo = { removeOnComplete: 1000, removeOnFail: true };
      const warmEnd = Date.now() + seconds * 1000;
      for (let i = 0; Date.now() < warmEnd; i++) {
        await (await queue.add('echo', { x: i }, echo)).waitUntilFinished(events, 10000);
      }
      const start = now();
      const end = Date.now() + seconds * 1000;
      let count = 0;
      while (Date.now() < end) {
        const r = await (await queue.add('echo', { x: count }, echo)).waitUntilFinished(events, 10000);
        if (r !== count) throw new Error('wrong result');
        count++;
      }
      result('round-trip', count / (Number(now() - start) / 1e9), 'per s');
      await events.close();
      break;
    }
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
  await queue.close();
  redis.disconnect();
}

if (mode === 'worker') {
  await worker(Number(rest[0]));
} else {
  await drive(rest[0], rest.slice(1));
  process.exit(0);
}
