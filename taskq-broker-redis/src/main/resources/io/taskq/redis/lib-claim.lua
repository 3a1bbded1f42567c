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
  check_jobs(ids, jobs, atts)
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
        consumer, nil))
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

