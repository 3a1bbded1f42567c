-- inspect: read-only-ish views (a single record is read without a script: RedisBroker.get). ARGV[A0+1] = what:
-- 'stats' -> {ready, delayed, active, dead, then per priority band's head: sent_at, eta} after reaping (like the
-- in-memory broker; see band_heads); 'dead' (limit) -> {id1, deadAtMs1, info1, ...} newest first (see dead_entries
-- in lib-dead.lua); 'deadone' (id) -> {id, deadAtMs, info} or {} if there is no such dead letter; 'job' (id) ->
-- {body} of the message the queue holds for id (ready, delayed or running), or {} if none; 'purge' -> how
-- many dead letters were removed (<= 1000 per call, the caller loops); 'list' (place, rev, offset, count) -> one
-- page of a place (see list_page).

-- The head of each priority band of the ready set (the task a claim takes next from it; at most 10 reads of
-- O(log n), however long the queue): per head the texts of its message's sent_at and eta headers ('' when absent or
-- null), from which QueueAdministration takes QueueStats.oldestReadyAge. Only the message's first occurrence of
-- each field name counts (taskq writes the headers first); a job field without the frame counts as neither.
local function band_heads(out)
  local from = '-inf'
  for _ = 1, 10 do
    local head = redis.call('ZRANGEBYSCORE', K_READY, from, '+inf', 'WITHSCORES', 'LIMIT', '0', '1')
    if #head == 0 then return end
    local job = redis.call('HGET', K_JOB, head[1])
    local sent, eta = '', ''
    if job then
      local _, j = job_header(job)
      if j then
        sent = string.match(job, '"sent_at"%s*:%s*"([^"]*)"', j + 1) or ''
        eta = string.match(job, '"eta"%s*:%s*"([^"]*)"', j + 1) or ''
      end
    end
    out[#out + 1] = sent
    out[#out + 1] = eta
    from = fmt((math.floor(tonumber(head[2]) / BAND) + 1) * BAND)
  end
end

-- One page of the tasks in one place, by rank in the place's sorted set (bounded: O(log n + count) reads, never a
-- scan): place Q ready, D delayed, R active (leases), F resx (final records; the expired ones not trimmed yet are
-- the lowest scores and are skipped by rank), X dead. rev '1' = highest score first. Returns {total, then per task:
-- id, score, task ('' unknown), priority (-1 unknown), live record JSON (''), dead-letter info ('' unless X), the
-- root_id header of the message the queue holds ('' for none or F, X: their records say; a plain match)}; for
-- X the info is {task, priority, reason, attempt} without the body (an entry longer than any a script writes is
-- not read), and total counts the tasks of the place (F: live records only).
local function list_page(place, rev, offset, count)
  local key = ({ Q = K_READY, D = K_DELAYED, R = K_ACTIVE, F = K_RESX, X = K_DEAD })[place]
  if not key or not offset or not count or count < 1 or count > 500 or offset < 0 then
    return redis.error_reply('ERR inspect list: bad arguments')
  end
  local skip = 0
  if place == 'F' then skip = redis.call('ZCOUNT', K_RESX, '-inf', NOW_S) end
  local total = redis.call('ZCARD', key) - skip
  if offset >= total then return { total } end
  local last = math.min(offset + count, total) - 1
  local flat
  if rev then
    flat = redis.call('ZREVRANGE', key, offset, last, 'WITHSCORES')
  else
    flat = redis.call('ZRANGE', key, skip + offset, skip + last, 'WITHSCORES')
  end
  local ids, scores = {}, {}
  for i = 1, #flat, 2 do
    ids[#ids + 1] = flat[i]
    scores[#scores + 1] = flat[i + 1]
  end
  local recs = hmget(K_RES, ids)
  local resExp = zmscore(K_RESX, ids)
  local jobs = {}
  if place ~= 'F' and place ~= 'X' then jobs = hmget(K_JOB, ids) end
  local out = { total }
  for i, id in ipairs(ids) do
    local rec = recs[i]
    if rec and resExp[i] and tonumber(resExp[i]) <= NOW then rec = false end
    local task, prio, info, root = '', -1, '', ''
    if jobs[i] then
      root = header_text(jobs[i], '"root_id"') or ''
      local hi, hj = job_header(jobs[i])
      if hi then
        task = string.sub(jobs[i], hi + 1, hj - 1)
        prio = priority_of(string.sub(jobs[i], 1, hi - 1))
      end
    elseif place == 'X' and redis.call('HSTRLEN', K_DINFO, id) <= 8 * MAX_BYTES then
      local ok, d = pcall(cjson.decode, redis.call('HGET', K_DINFO, id) or '')
      if ok and type(d) == 'table' then
        task = type(d.task) == 'string' and d.task or ''
        if type(d.priority) == 'number' then prio = d.priority end
        local okInfo, encoded = pcall(cjson.encode, { task = d.task, reason = d.reason, attempt = d.attempt,
          deadAt = d.deadAt })
        if okInfo then info = encoded end
      end
    end
    out[#out + 1] = id
    out[#out + 1] = scores[i]
    out[#out + 1] = task
    out[#out + 1] = prio
    out[#out + 1] = rec or ''
    out[#out + 1] = info
    out[#out + 1] = root
  end
  return out
end

local what = ARGV[A0 + 1]
if what == 'stats' then
  reap()
  flush_published()
  trim_dead()
  local out = { redis.call('ZCARD', K_READY), redis.call('ZCARD', K_DELAYED), redis.call('ZCARD', K_ACTIVE),
    redis.call('ZCARD', K_DEAD) }
  band_heads(out)
  return out
elseif what == 'dead' then
  local limit = tonumber(ARGV[A0 + 2])
  local flat = redis.call('ZREVRANGE', K_DEAD, 0, limit - 1, 'WITHSCORES')
  local ids, scores = {}, {}
  for i = 1, #flat, 2 do
    ids[#ids + 1] = flat[i]
    scores[#scores + 1] = flat[i + 1]
  end
  return dead_entries(ids, scores)
elseif what == 'deadone' then
  local id = ARGV[A0 + 2]
  local at = redis.call('ZSCORE', K_DEAD, id)
  if not at then return {} end
  return dead_entries({ id }, { at })
elseif what == 'job' then
  local v = redis.call('HGET', K_JOB, ARGV[A0 + 2])
  if not v then return {} end
  local _, _, body = split_job(v)
  return { body }
elseif what == 'list' then
  return list_page(ARGV[A0 + 2], ARGV[A0 + 3] == '1', tonumber(ARGV[A0 + 4]), tonumber(ARGV[A0 + 5]))
elseif what == 'purge' then
  local ids = redis.call('ZRANGE', K_DEAD, 0, 999)
  if #ids == 0 then return 0 end
  redis.call('ZREM', K_DEAD, unpack(ids))
  redis.call('HDEL', K_DINFO, unpack(ids))
  return #ids
end
return redis.error_reply('unknown inspect ' .. tostring(what))
