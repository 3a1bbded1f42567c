-- lib-follow-ups.lua, part 7 of 9 of the queue scripts' prelude, joined in the order of ScriptLoader.PRELUDE_PARTS:
-- key groups, admission of new ids, follow-up messages of outcomes.
-- Makes the g-th set of 13 queue keys in KEYS (0 = the call's own queue, the first 13) the current one: a finish
-- whose follow-ups go to other queues gets their keys after its own (see enqueue_follow_ups).
local function use_keys(g)
  local o = 13 * g
  K_JOB, K_ATT, K_READY, K_DELAYED, K_ACTIVE = KEYS[o + 1], KEYS[o + 2], KEYS[o + 3], KEYS[o + 4], KEYS[o + 5]
  K_RES, K_RESX, K_REV, K_DEAD, K_DINFO = KEYS[o + 6], KEYS[o + 7], KEYS[o + 8], KEYS[o + 9], KEYS[o + 10]
  K_SEQ, K_MARKER, K_REVX = KEYS[o + 11], KEYS[o + 12], KEYS[o + 13]
end

-- What the current queue knows of ids about to be enqueued (one read per structure for the batch): enqueue and
-- follow-ups decide with admit() which of them to write.
local function known_ids(ids)
  local k = { job = hmget(K_JOB, ids), resExp = zmscore(K_RESX, ids), dead = {}, revs = {}, revExp = {}, seen = {} }
  if redis.call('ZCARD', K_DEAD) > 0 then k.dead = zmscore(K_DEAD, ids) end
  if redis.call('HLEN', K_REV) > 0 then
    k.revs = hmget(K_REV, ids)
    k.revExp = zmscore(K_REVX, ids)
  end
  return k
end

-- Whether the i-th id of a known_ids() batch is new: nil if the queue knows it (queued, delayed, running, a live
-- record, a dead letter, or earlier in the batch); false if it was revoked before it arrived (stored REVOKED here,
-- within the revoke marker's TTL); true if the caller writes its job. A chord member revoked before it arrived is
-- admitted marked (end_marked, lib-reap.lua), so that a worker ends it and it joins its chord: then the marked job
-- field is returned for the caller to write, ready (job: the field the caller would write).
local function admit(k, i, id, task, job)
  local live = k.resExp[i] and tonumber(k.resExp[i]) > NOW
  if k.job[i] or live or k.dead[i] or k.seen[id] then return nil end
  k.seen[id] = true
  if k.resExp[i] then drop_record(id) end -- an expired record not trimmed yet
  local rev = k.revs[i]
  if rev then
    redis.call('HDEL', K_REV, id)
    if k.revExp[i] then
      redis.call('ZREM', K_REVX, id)
      if tonumber(k.revExp[i]) <= NOW then rev = nil end -- the revoke marker expired: it no longer applies
    end
  end
  if rev then
    local marked = end_marked(job, 'REVOKED', rev)
    if marked then return marked end
    store_final(id, make_record(id, task, 'REVOKED', nil, 0, 0, nil, rev, msg_lineage(id, job)))
    return false
  end
  return true
end

-- Follow-ups (Outcome.followUps): messages enqueued with the outcomes of a finish, in the same call, for the
-- outcomes accepted only. After the finish arguments (index b: n, then 7 per outcome): f, then per follow-up
-- outcome index (1..n), key group (0 = this queue; g: KEYS[13g+1..13g+13]), queue, id, task, priority, etaMs ('' =
-- now), body. Everything is checked before the call writes anything (Redis keeps what a failing script wrote):
-- returns the parsed list and the index after it, or nil and the error.
local function parse_follow_ups(b)
  local n = tonumber(ARGV[b])
  local at = b + 1 + 7 * (n or 0)
  local f = tonumber(ARGV[at])
  local groups = math.floor(#KEYS / 13) -- a claim's limits key may follow the groups (see hold_back)
  if not n or not f or f < 0 or f ~= math.floor(f) or #KEYS % 13 > 1 then
    return nil, 'ERR finish: bad follow-up arguments; nothing was written'
  end
  local list = {}
  for k = 1, f do
    local a = at + 1 + (k - 1) * 8
    local oi, g, queue, id, task = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
    local prio, eta, body = ARGV[a + 5], ARGV[a + 6], ARGV[a + 7]
    local bad
    if not oi or oi < 1 or oi > n or oi ~= math.floor(oi) then bad = 'no such outcome'
    elseif not g or g < 0 or g >= groups or g ~= math.floor(g) then bad = 'no such key group'
    elseif not queue or queue == '' or string.find(queue, '%c') then bad = 'the queue name is empty or has a control character'
    elseif not id or id == '' then bad = 'no id'
    elseif not task or task == '' or string.find(task, '%c') then bad = 'the task name is empty or has a control character'
    elseif not prio or not string.find(prio, '^%d$') then bad = 'priority is not 0..9'
    elseif not eta or (eta ~= '' and (not string.find(eta, '^%d+$') or #eta > 16)) then bad = 'eta is not a time in ms'
    elseif not body then bad = 'no body'
    elseif #task + #body + 18 > MAX_BYTES then
      bad = 'task name and body are ' .. (#task + #body) .. ' bytes, over the limit of ' .. (MAX_BYTES - 18)
    end
    if bad then
      return nil, 'ERR finish: follow-up ' .. k .. ' refused: ' .. bad .. '; nothing was written'
    end
    list[k] = { oi = oi, g = g, queue = queue, id = id, task = task, prio = tonumber(prio), eta = eta, body = body }
  end
  return list, at + 1 + 8 * f
end

-- Enqueues the follow-ups of the accepted outcomes (accepted[i] == 1), queue by queue: each key group in turn
-- becomes the current queue (its records written and published before the next), as enqueue would.
local function enqueue_follow_ups(list, accepted)
  local byGroup, order = {}, {}
  for _, m in ipairs(list) do
    if accepted[m.oi] == 1 then
      if not byGroup[m.g] then
        byGroup[m.g] = {}
        order[#order + 1] = m.g
      end
      table.insert(byGroup[m.g], m)
    end
  end
  if #order == 0 then return end
  local ownQueue = QUEUE
  for _, g in ipairs(order) do
    local msgs = byGroup[g]
    flush_published()
    use_keys(g)
    QUEUE = msgs[1].queue
    local ids = {}
    for i, m in ipairs(msgs) do ids[i] = m.id end
    local k = known_ids(ids)
    local last = redis.call('INCRBY', K_SEQ, fmt(#msgs))
    local jobs, ready, delayed, earliest = {}, {}, {}, nil
    for i, m in ipairs(msgs) do
      local score = fmt((9 - m.prio) * BAND + last - #msgs + i)
      local job = score .. '\n' .. m.task .. '\n' .. m.body
      local new = admit(k, i, m.id, m.task, job)
      if new then
        jobs[#jobs + 1] = m.id
        jobs[#jobs + 1] = new == true and job or new
        local due = new == true and m.eta ~= '' and tonumber(m.eta) > NOW and tonumber(m.eta) or nil
        if due then
          delayed[#delayed + 1] = m.eta
          delayed[#delayed + 1] = m.id
          if earliest == nil or due < earliest then earliest = due end
        else
          ready[#ready + 1] = score
          ready[#ready + 1] = m.id
        end
      end
    end
    multi('HSET', K_JOB, jobs)
    multi('ZADD', K_READY, ready)
    multi('ZADD', K_DELAYED, delayed)
    if #ready > 0 then wake_ready() end
    if earliest then wake_at(earliest) end
    flush_published()
  end
  use_keys(0)
  QUEUE = ownQueue
end

