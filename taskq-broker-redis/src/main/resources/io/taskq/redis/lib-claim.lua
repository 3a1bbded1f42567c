-- lib-claim.lua, part 8 of 9 of the queue scripts' prelude, joined in the order of ScriptLoader.PRELUDE_PARTS: the
-- claim body: next wake-up, Redis's clock, do_claim.
-- The next time this queue needs a claim to run although nobody added work: the earliest delayed due time or
-- lease deadline, -1 if none.
-- leasedUntil: the deadline of the leases this call gave after reap() looked (nil if none).
local function next_wake(leasedUntil)
  local wake = firstDue
  if wake == nil then wake = first_score(K_DELAYED) end
  local lease = firstLease
  if lease == nil then
    lease = first_score(K_ACTIVE)
  elseif leasedUntil and (lease < 0 or leasedUntil < lease) then
    lease = leasedUntil -- another worker's longer lease may end later than the ones just given
  end
  if lease >= 0 and (wake < 0 or lease < wake) then wake = lease end
  return wake
end

-- Redis's clock in ms, for calls that may run later than they were sent (claims sent ahead, fenced claims). With
-- soft, nil if the user may not run TIME (an ACL from before claims needed it), so that a fence is only skipped.
local function redis_ms(soft)
  local t = soft and redis.pcall('TIME') or redis.call('TIME')
  if soft and not (type(t) == 'table' and t[2]) then return nil end
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Limits (docs/limits.md). A message's limits are its envelope's first header, "limits" (LimitSpec in the core
-- writes it there), so the claim finds them with one anchored match and never parses the message: entries
-- "r|<name>|<key>|<permits>|<periodMs>|<burst>" and "c|<name>|<key>|<max>", names and keys percent-encoded. Their
-- state is one hash per queue, K_LIM (the claim's last key, in the queue's slot): "t|<name>|<key>" the GCRA's
-- theoretical arrival time (us), "g|<id>" the start time reserved for a task that had to wait, "h|<name>|<key>" the
-- ids holding a concurrency slot (JSON), "o|<name>" and "m|<name>" the run-time rate and maximum (Taskq.limits()).
local K_LIM
local LIMITS_HEADER = '^{"v":1,"headers":{"limits":"([^"]*)"'
-- How long a task waits for a concurrency slot before it is tried again (ms).
local CONCURRENCY_RETRY_MS = 100

-- The limits header of a job field, or nil (nearly always: the match fails at the first header's name).
local function job_limits(job)
  local _, j = job_header(job)
  if not j then return nil end
  return string.match(job, LIMITS_HEADER, j + 1)
end

-- The entries of a limits header: rate and concurrency limits (a uniqueness entry is checked and skipped); nil if
-- one is malformed (the claim dead-letters such a message first, see limits_fault).
local function limit_entries(spec)
  local rates, concs = {}, {}
  for e in string.gmatch(spec, '[^ ]+') do
    local name, key, p, per, b = string.match(e, '^r|([^|]+)|([^|]*)|(%d+)|(%d+)|(%d+)$')
    if name then
      p, per, b = tonumber(p), tonumber(per), tonumber(b)
      if p < 1 or per < 1 or b < 1 then return nil end
      rates[#rates + 1] = { name = name, ctr = name .. '|' .. key, p = p, per = per, b = b }
    elseif string.match(e, '^u|[^|]+|%a+|%d+$') then
      -- a unique task's key: the enqueue's, nothing for the claim
    else
      name, key, p = string.match(e, '^c|([^|]+)|([^|]*)|(%d+)$')
      if not name or tonumber(p) < 1 then return nil end
      concs[#concs + 1] = { name = name, ctr = name .. '|' .. key, max = tonumber(p) }
    end
  end
  return rates, concs
end

-- check_jobs' check of a popped job's limits header: a header that taskq's submit would not write (another
-- client's) dead-letters the task with the reason rather than let it run unlimited.
local function limits_fault(job)
  local spec = job_limits(job)
  if spec and not limit_entries(spec) then
    return 'malformed limits header ' .. cjson.encode(string.sub(spec, 1, 200)), 'taskq.MalformedEntry'
  end
  return nil
end

-- Per call: each concurrency counter's live holders, read and checked once (then kept up to date as the call
-- takes slots, so that the ids it claims count before they reach the active ZSET), which of them changed, and the
-- run-time maxima and rates read.
local conc_live, conc_dirty, limit_values

-- A counter's live holders: the ids in its list with a lease in the active ZSET that has not expired, so that a dead
-- worker's slots come back when its lease does, and a finished task's at once.
local function live_holders(ctr)
  local live = conc_live[ctr]
  if live then return live end
  live = {}
  local raw = redis.call('HGET', K_LIM, 'h|' .. ctr)
  if raw then
    local ok, held = pcall(cjson.decode, raw)
    if ok and type(held) == 'table' and #held > 0 then
      local leases = zmscore(K_ACTIVE, held)
      for i, h in ipairs(held) do
        if leases[i] and tonumber(leases[i]) > NOW then live[#live + 1] = h end
      end
    end
  end
  conc_live[ctr] = live
  return live
end

-- A run-time value of the limits hash ("m|<name>", "o|<name>"), read once per call.
local function limit_value(field)
  local v = limit_values[field]
  if v == nil then
    v = redis.call('HGET', K_LIM, field)
    limit_values[field] = v
  end
  return v
end

-- Whether every concurrency limit has a free slot.
local function slots_free(concs)
  for _, c in ipairs(concs) do
    local max = tonumber(limit_value('m|' .. c.name)) or c.max
    if #live_holders(c.ctr) >= max then return false end
  end
  return true
end

-- GCRA over every rate limit at once: the start time is the latest each allows; each limit's arrival time moves
-- one interval past it. A start in the future is reserved ("g|<id>"), so that the task runs then without asking
-- again and the tasks behind it queue after it. Returns nil to start now, or the reserved time (ms).
local function take_rates(id, rates)
  if #rates == 0 then return nil end
  if redis.call('HDEL', K_LIM, 'g|' .. id) == 1 then return nil end
  local nowUs = NOW * 1000
  local fields = {}
  for i, r in ipairs(rates) do fields[i] = 't|' .. r.ctr end
  local tats = hmget(K_LIM, fields)
  local start = nowUs
  for i, r in ipairs(rates) do
    local o = limit_value('o|' .. r.name)
    if o then
      local p, per, b = string.match(o, '^(%d+)|(%d+)|(%d+)$')
      if p then r.p, r.per, r.b = tonumber(p), tonumber(per), tonumber(b) end
    end
    r.t = math.max(1, math.floor(r.per * 1000 / r.p))
    r.tat = tonumber(tats[i]) or 0
    local allow = math.max(r.tat, nowUs) - (r.b - 1) * r.t
    if allow > start then start = allow end
  end
  local set = {}
  for i, r in ipairs(rates) do
    set[#set + 1] = fields[i]
    set[#set + 1] = fmt(math.max(r.tat, start) + r.t)
  end
  local at = nil
  if start > nowUs then
    set[#set + 1] = 'g|' .. id
    set[#set + 1] = fmt(start)
    at = math.ceil(start / 1000)
  end
  multi('HSET', K_LIM, set)
  return at
end

-- Whether the popped task id may start now under its limits header: nil if it may (its permits and slots are
-- taken), else the time (ms) it comes back; it then waits in the delayed set, still queued.
local function limits_admit(id, spec)
  local rates, concs = limit_entries(spec)
  if not rates then return nil end -- limits_fault dead-lettered it before
  if not slots_free(concs) then return NOW + CONCURRENCY_RETRY_MS end
  local at = take_rates(id, rates)
  if at then return at end
  for _, c in ipairs(concs) do
    local live = live_holders(c.ctr)
    live[#live + 1] = id
    conc_dirty[c.ctr] = true
  end
  return nil
end

-- Moves the popped tasks their limits hold back to the delayed set: ids[i] with jobs[i] set to nil. Returns how
-- many.
local function hold_back(ids, jobs)
  if #KEYS % 13 ~= 1 then return 0 end -- a caller without the limits key (none today) runs everything
  K_LIM = KEYS[#KEYS]
  local later, earliest = {}, nil
  conc_live, conc_dirty, limit_values = {}, {}, {}
  for i, id in ipairs(ids) do
    local spec = jobs[i] and job_limits(jobs[i])
    local at = spec and limits_admit(id, spec)
    if at then
      jobs[i] = nil
      later[#later + 1] = fmt(at)
      later[#later + 1] = id
      if not earliest or at < earliest then earliest = at end
    end
  end
  for ctr in pairs(conc_dirty) do
    redis.call('HSET', K_LIM, 'h|' .. ctr, cjson.encode(conc_live[ctr]))
  end
  if not earliest then return 0 end
  multi('ZADD', K_DELAYED, later)
  firstDue = nil -- next_wake() reads the delayed set again
  wake_at(earliest)
  return #later / 2
end

-- claim: promotes due delayed tasks and reaps expired leases (both bounded), then pops up to max ready tasks by
-- priority, leases each (active ZSET, new fencing token), counts the attempt and records RECEIVED. The first
-- startNow claimed tasks go straight to a free slot of the worker and are marked started (see parse_att); the
-- others are held by the worker until a slot frees, and the started script marks them when they start.
-- Returns {count, nextWakeMs, id1, attempt1, token1, job1, ...}. With wantWake, nextWakeMs says whether ready ran
-- dry: -2 if max tasks were popped (more may be ready), else next_wake() (-1 or a time), so that a consumer can
-- wait on the marker instead of asking again at once (the marker covers work added after this call). Without
-- wantWake it is -1.
-- fence (nil for none): the time (ms, Redis's clock) after which the sender no longer reads the reply (its
-- command timed out, or the wait a claim was sent behind is over). A claim that runs later (a stalled network or
-- server delivered it late) claims nothing and returns {0, -3}: what it claimed would wait a whole lease before
-- running elsewhere. It re-arms the marker if work is ready, since the consumer it failed may be waiting for it.
local function do_claim(consumer, max, lease, wantWake, startNow, fence)
  if not wantWake and redis.call('ZCARD', K_READY) == 0 then
    -- A refill (the claim in a finish-claim) that finds nothing ready leaves promotion and reaping to the
    -- consumer's own claims: the slots it leaves free go back to the fetch loop, whose claim (or marker wait,
    -- bounded by the wake-up time and claimWait) does both. At low load this saves two commands per task.
    return { 0, -1 }
  end
  if fence and (redis_ms(true) or fence) > fence then
    if redis.call('ZCARD', K_READY) > 0 then wake_ready() end
    return { 0, -3 }
  end
  promote()
  reap()
  local popped = redis.call('ZPOPMIN', K_READY, max)
  local k = #popped / 2
  if k == 0 then
    return { 0, wantWake and next_wake() or -1 }
  end
  local ids = {}
  for i = 1, k do ids[i] = popped[2 * i - 1] end
  local jobs = hmget(K_JOB, ids)
  local last = redis.pcall('INCRBY', K_SEQ, fmt(k))
  if type(last) == 'table' then
    -- seq does not hold an integer (written by hand): no tokens can be given, so the popped tasks go back to
    -- their places and the call fails without having changed them.
    local back = {}
    for i = 1, k do
      back[2 * i - 1] = popped[2 * i]
      back[2 * i] = popped[2 * i - 1]
    end
    multi('ZADD', K_READY, back)
    return redis.error_reply('cannot claim from ' .. K_READY .. ': ' .. K_SEQ .. ' does not hold an integer ('
      .. tostring(last.err) .. ')')
  end
  local atts = hmget(K_ATT, ids)
  -- A task has a record before its claim only if it was claimed before (and then it has an attempts field), so
  -- first attempts skip the lookup.
  local again, recs = {}, {}
  for i = 1, k do
    if atts[i] then again[#again + 1] = ids[i] end
  end
  if #again > 0 then
    local found = hmget(K_RES, again)
    local j = 1
    for i = 1, k do
      if atts[i] then
        recs[i] = found[j]
        j = j + 1
      end
    end
  end
  check_jobs(ids, jobs, atts, limits_fault)
  hold_back(ids, jobs)
  local out = { 0, -1 }
  local attSet, actSet = {}, {}
  local deadline = fmt(NOW + lease)
  local count = 0
  for i, id in ipairs(ids) do
    if jobs[i] then
      local a, _, l, h = parse_att(atts[i])
      a = a + 1
      local token = fmt(last - k + i)
      attSet[#attSet + 1] = id
      attSet[#attSet + 1] = att_text(int_text(a), token, int_text(l), int_text(h), count < startNow and 1 or 0)
      actSet[#actSet + 1] = deadline
      actSet[#actSet + 1] = id
      local task = job_task(jobs[i])
      if not task then
        task = '?'
        jobs[i] = popped[2 * i] .. '\n?\n' .. jobs[i]
      end
      local prev = decode(recs[i])
      store_later(id, make_record(id, task, 'RECEIVED', field(prev, 'error'), field(prev, 'retries') or 0, a,
        consumer, nil, msg_lineage(id, jobs[i])))
      out[#out + 1] = id
      out[#out + 1] = a
      out[#out + 1] = token
      out[#out + 1] = jobs[i]
      count = count + 1
    end
  end
  multi('HSET', K_ATT, attSet)
  multi('ZADD', K_ACTIVE, actSet)
  out[1] = count
  if wantWake then
    if k < max then out[2] = next_wake(count > 0 and NOW + lease or nil) else out[2] = -2 end
  end
  -- Cascade: another idle worker should wake if work is left.
  if k == max and redis.call('ZCARD', K_READY) > 0 then wake_ready() end
  return out
end

