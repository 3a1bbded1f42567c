-- lib-reap.lua, part 5 of 9 of the queue scripts' prelude, joined in the order of ScriptLoader.PRELUDE_PARTS:
-- markers, wake-up times, reaping expired leases, promoting due tasks, claim ownership.
local function wake_ready()
  redis.call('ZADD', K_MARKER, '0', '0')
end

local function wake_at(due)
  redis.call('ZADD', K_MARKER, 'LT', fmt(due), '1')
end

-- Takes back leases that expired (the worker died or stalled): ready again with the same place in line, or
-- dead after MAX_REDELIVERIES lost leases, or REVOKED if a revoke was pending. Bounded per call.
-- The earliest lease deadline and delayed due time as reap() and promote() found them (nil: not looked at, or
-- changed since), so that next_wake() need not read them again: at low load every claim looks at both.
local firstLease, firstDue

-- The lowest score in a ZSET (the earliest deadline or due time), -1 if it is empty.
local function first_score(key)
  local head = redis.call('ZRANGE', key, '0', '0', 'WITHSCORES')
  return head[2] and tonumber(head[2]) or -1
end

-- first_score of a ZSET of times, and whether that time has come (so entries up to NOW need work).
local function first_due(key)
  local first = first_score(key)
  return first, first >= 0 and first <= NOW
end

-- A chord member that the broker would end without a worker (revoked while it waits, revoked while its worker died,
-- dead after too many lost leases) would never join its chord: only a worker builds a join, and on a Cluster the
-- chord's state is in another slot than this queue's. So it stays queued instead, ready in its place, its message
-- marked with a first header taskq_end ({"state": state, "reason": reason}); the worker that takes it ends it so
-- without running it and joins the chord (BrokerEnd in the core, docs/workflows.md#members-the-broker-ends). Only
-- a message in taskq's form with a chord in its embed is marked (a plain find, on rare paths: a revoke, a reap); a
-- marked one keeps its first mark. Returns true if id is queued so, false (nothing written) to end it as any task.
local END_OPEN = '{"v":1,"headers":{'
local END_MARK = END_OPEN .. '"taskq_end":'
-- The job field (score, task, body) of a chord member marked so, or nil for any other task (the job unchanged if it
-- is marked already, nil too if the mark would take it over the size limit).
local function end_marked(job, state, reason)
  local i, j = job_header(job or '')
  if not i or string.sub(job, j + 1, j + #END_OPEN) ~= END_OPEN then return nil end
  if string.sub(job, j + 1, j + #END_MARK) == END_MARK then return job end
  if not string.find(job, '"chord":{', j + 1, true) then return nil end
  local rest = string.sub(job, j + 1 + #END_OPEN)
  local marked = string.sub(job, 1, j) .. END_MARK
    .. cjson.encode({ state = state, reason = head_of(reason or '', 1) })
    .. (string.sub(rest, 1, 1) == '}' and '' or ',') .. rest
  if #marked > MAX_BYTES then return nil end
  return marked
end

local function end_member(id, job, state, reason)
  local marked = end_marked(job, state, reason)
  if not marked then return false end
  if marked ~= job then redis.call('HSET', K_JOB, id, marked) end
  redis.call('ZREM', K_DELAYED, id)
  redis.call('ZADD', K_READY, string.sub(job, 1, job_header(job) - 1), id)
  wake_ready()
  return true
end

local function reap()
  -- The earliest entry first: when nothing is expired (nearly always) that one read is all, and it is the
  -- deadline next_wake() needs.
  local first, due = first_due(K_ACTIVE)
  firstLease = not due and first or nil
  if not due then return end
  local expired = redis.call('ZRANGEBYSCORE', K_ACTIVE, '-inf', NOW_S, 'LIMIT', '0', REAP_LIMIT_S)
  if #expired == 0 then return end
  redis.call('ZREM', K_ACTIVE, unpack(expired))
  local atts = hmget(K_ATT, expired)
  local jobs = hmget(K_JOB, expired)
  local revs = {}
  if redis.call('HLEN', K_REV) > 0 then revs = hmget(K_REV, expired) end
  check_jobs(expired, jobs, atts)
  local ready, any = {}, false
  for i, id in ipairs(expired) do
    if jobs[i] then
      local a, t, l, h, s = parse_att(atts[i])
      -- Only a loss while the task ran counts against it; a task held (or just claimed) by a worker that died
      -- because of another task is not that task's fault.
      if s == 1 then l = l + 1 else h = h + 1 end
      local score, task, body = split_job(jobs[i])
      local reason
      if not revs[i] and (l > MAX_REDELIVERIES or h > held_loss_limit()) then
        reason = 'lease expired ' .. l .. ' times: the worker died or stalled every time (poison task?)'
        if l <= MAX_REDELIVERIES then
          reason = 'lease expired ' .. h .. ' times before the task started: its workers died or stalled while'
            .. ' they held it'
        end
      end
      local ends = revs[i] or reason
      if ends and end_member(id, jobs[i], revs[i] and 'REVOKED' or 'FAILURE', ends) then
        if revs[i] then redis.call('HDEL', K_REV, id) end
        redis.call('HSET', K_ATT, id, att_text(a, t, l, h, 0))
      elseif revs[i] then
        local prev = decode(redis.call('HGET', K_RES, id))
        redis.call('HDEL', K_JOB, id)
        redis.call('HDEL', K_ATT, id)
        redis.call('HDEL', K_REV, id)
        store_final(id, make_record(id, task, 'REVOKED', nil, 0, a, field(prev, 'worker'), revs[i], msg_lineage(id, body)))
      elseif reason then
        local prev = decode(redis.call('HGET', K_RES, id))
        add_dead(id, task, reason, a, priority_of(score), body)
        redis.call('HDEL', K_JOB, id)
        redis.call('HDEL', K_ATT, id)
        store_final(id, make_record(id, task, 'FAILURE',
          { type = 'taskq.WorkerLost', message = reason, stackTrace = '' },
          field(prev, 'retries') or 0, a, field(prev, 'worker'), reason, msg_lineage(id, body)))
      else
        redis.call('HSET', K_ATT, id, att_text(a, t, l, h, 0))
        ready[#ready + 1] = score
        ready[#ready + 1] = id
        any = true
      end
    end
  end
  multi('ZADD', K_READY, ready)
  if any then wake_ready() end
end

-- Due delayed tasks move to ready with the score they were enqueued with (their place in line). Bounded.
local function promote()
  local first, due = first_due(K_DELAYED)
  firstDue = not due and first or nil
  if not due then return end
  local due = redis.call('ZRANGEBYSCORE', K_DELAYED, '-inf', NOW_S, 'LIMIT', '0', PROMOTE_LIMIT_S)
  if #due == 0 then return end
  local jobs = hmget(K_JOB, due)
  local ready = {}
  for i, id in ipairs(due) do
    if jobs[i] then
      local score = split_job(jobs[i])
      ready[#ready + 1] = score
      ready[#ready + 1] = id
    end
  end
  chunked('ZREM', K_DELAYED, due)
  multi('ZADD', K_READY, ready)
end

-- Which of ids hold the claim identified by tokens: in the lease table with that token. Returns per index
-- the parsed attempts (or nil) and the lease deadline.
local function owned(ids, tokens)
  local atts = hmget(K_ATT, ids)
  local leases = zmscore(K_ACTIVE, ids)
  local res = {}
  for i = 1, #ids do
    if atts[i] and leases[i] then
      local a, t, l, h, s = parse_att(atts[i])
      if t == tokens[i] then
        res[i] = { a = a, t = t, l = l, h = h, s = s, lease = tonumber(leases[i]) }
      end
    end
  end
  return res
end

