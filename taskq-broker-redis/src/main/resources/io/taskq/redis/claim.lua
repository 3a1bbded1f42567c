-- claim: ARGV[A0+1] = consumer, [A0+2] = max, [A0+3] = leaseMs.
-- Promotes due delayed tasks and reaps expired leases (both bounded), then pops up to max ready tasks by
-- priority, leases each (active ZSET, new fencing token), counts the attempt and records RECEIVED.
-- Returns {count, nextWakeMs, id1, attempt1, token1, job1, ...}; nextWakeMs (only when nothing was claimed) is
-- the earliest delayed due time or lease deadline, -1 if none, so an idle worker sleeps exactly that long.
local consumer, max, lease = ARGV[A0 + 1], tonumber(ARGV[A0 + 2]), tonumber(ARGV[A0 + 3])
promote()
reap()
local popped = redis.call('ZPOPMIN', K_READY, max)
local k = #popped / 2
if k == 0 then
  local wake = -1
  local d = redis.call('ZRANGE', K_DELAYED, 0, 0, 'WITHSCORES')
  if #d > 0 then wake = tonumber(d[2]) end
  local a = redis.call('ZRANGE', K_ACTIVE, 0, 0, 'WITHSCORES')
  if #a > 0 and (wake < 0 or tonumber(a[2]) < wake) then wake = tonumber(a[2]) end
  flush_published()
  trim_dead()
  return { 0, wake }
end
local ids = {}
for i = 1, k do ids[i] = popped[2 * i - 1] end
local last = redis.call('INCRBY', K_SEQ, k)
local atts = hmget(K_ATT, ids)
local jobs = hmget(K_JOB, ids)
local recs = hmget(K_RES, ids)
local out = { 0, -1 }
local attSet, actSet, resSet = {}, {}, {}
local deadline = fmt(NOW + lease)
local count = 0
for i, id in ipairs(ids) do
  if jobs[i] then
    local a, _, l = parse_att(atts[i])
    a = a + 1
    local token = fmt(last - k + i)
    attSet[#attSet + 1] = id
    attSet[#attSet + 1] = a .. ':' .. token .. ':' .. l
    actSet[#actSet + 1] = deadline
    actSet[#actSet + 1] = id
    local score, task, body = split_job(jobs[i], popped[2 * i])
    if task == '?' then jobs[i] = score .. '\n' .. task .. '\n' .. body end
    local prev = decode(recs[i])
    resSet[#resSet + 1] = id
    resSet[#resSet + 1] = make_record(id, task, 'RECEIVED', field(prev, 'error'), field(prev, 'retries') or 0, a,
      consumer, nil)
    out[#out + 1] = id
    out[#out + 1] = a
    out[#out + 1] = token
    out[#out + 1] = jobs[i]
    count = count + 1
  end
end
multi('HSET', K_ATT, attSet)
multi('ZADD', K_ACTIVE, actSet)
multi('HSET', K_RES, resSet)
out[1] = count
-- Cascade: another idle worker should wake if work is left.
if k == max and redis.call('ZCARD', K_READY) > 0 then wake_ready() end
flush_published()
trim_dead()
return out
