-- lib-finish.lua, part 6 of 9 of the queue scripts' prelude, joined in the order of ScriptLoader.PRELUDE_PARTS: the
-- started and finish bodies (shared by their scripts and finish-claim).
-- The bodies of started, finish and claim, so that finish-claim can run all three in one call. Each reads its
-- arguments from ARGV starting at index b and returns its result and the index after its arguments.

-- started: n, atIso, then per claim: id, token. Stale claims change nothing. Marks the claim started in the
-- attempts field too, so that a lease lost from now on counts against the task.
local function do_started(b)
  local n = tonumber(ARGV[b])
  local atIso = ARGV[b + 1]
  local ids, tokens = {}, {}
  for i = 1, n do
    ids[i] = ARGV[b + 2 + (i - 1) * 2]
    tokens[i] = ARGV[b + 3 + (i - 1) * 2]
  end
  local after = b + 2 + 2 * n
  if n == 0 then return 0, after end
  local own = owned(ids, tokens)
  local mine = {}
  for i = 1, n do if own[i] then mine[#mine + 1] = ids[i] end end
  if #mine == 0 then return 0, after end
  local marks = {}
  for i = 1, n do
    local o = own[i]
    if o and o.s == 0 then
      o.s = 1
      marks[#marks + 1] = ids[i]
      marks[#marks + 1] = att_text(o.a, o.t, o.l, o.h, 1)
    end
  end
  multi('HSET', K_ATT, marks)
  local recs = hmget(K_RES, mine)
  local set = {}
  for i, id in ipairs(mine) do
    -- The claim wrote this record, so it is not checked field by field (a cost per task) as decode() would: only
    -- re-encoded, and replaced if it cannot be (something else wrote it since).
    local ok, r = pcall(cjson.decode, recs[i] or 'null')
    if not ok or type(r) ~= 'table' then r = {} end
    r.state = 'STARTED'
    r.updatedAt = atIso
    r.reason = cjson.null
    local encoded
    ok, encoded = pcall(cjson.encode, r)
    if not ok or not r.id then
      encoded = cjson.encode({ id = id, queue = QUEUE, task = cjson.null, state = 'STARTED', result = cjson.null,
        error = cjson.null, retries = 0, attempt = 0, worker = cjson.null, updatedAt = atIso, reason = cjson.null })
    end
    set[#set + 1] = id
    set[#set + 1] = encoded
  end
  multi('HSET', K_RES, set)
  return #mine, after
end

-- finish: n, then per outcome: id, token, kind (D = done, R = retry, X = dead), record JSON ('' = store none),
-- retryAtMs, newBody, reason. Fenced: only the current claim with an unexpired lease is accepted.
-- Returns per outcome 1 (accepted) or 0 (stale).
local function do_finish(b)
  local n = tonumber(ARGV[b])
  local W = 7
  local after = b + 1 + W * n
  if n == 0 then return {}, after end
  local ids, tokens = {}, {}
  for i = 1, n do
    ids[i] = ARGV[b + 1 + (i - 1) * W]
    tokens[i] = ARGV[b + 2 + (i - 1) * W]
  end
  local own = owned(ids, tokens)
  local needJob = {}
  for i = 1, n do
    local kind = ARGV[b + 3 + (i - 1) * W]
    if own[i] and kind ~= 'D' then needJob[#needJob + 1] = ids[i] end
  end
  local jobVals = {}
  if #needJob > 0 then
    local vals = hmget(K_JOB, needJob)
    for i, id in ipairs(needJob) do jobVals[id] = vals[i] end
  end
  local hasRev = redis.call('HLEN', K_REV) > 0
  local out = {}
  local gone, doneIds = {}, {}
  local seen = {}
  for i = 1, n do
    local c = b + 1 + (i - 1) * W
    local id, kind, rec = ids[i], ARGV[c + 2], ARGV[c + 3]
    local o = own[i]
    if o == nil or o.lease <= NOW or seen[id] then
      out[i] = 0
    else
      seen[id] = true
      gone[#gone + 1] = id
      if kind == 'D' then
        doneIds[#doneIds + 1] = id
        if rec ~= '' then store_final(id, rec) else drop_record(id) end
      elseif kind == 'R' then
        local score, task = split_job(jobVals[id])
        redis.call('HSET', K_JOB, id, score .. '\n' .. task .. '\n' .. ARGV[c + 5])
        redis.call('ZADD', K_DELAYED, ARGV[c + 4], id)
        wake_at(tonumber(ARGV[c + 4]))
        redis.call('HSET', K_RES, id, rec)
      else
        local score, task, body = split_job(jobVals[id])
        add_dead(id, task, ARGV[c + 6], o.a, priority_of(score), body)
        doneIds[#doneIds + 1] = id
        store_final(id, rec)
      end
      out[i] = 1
    end
  end
  chunked('ZREM', K_ACTIVE, gone)
  if #gone >= 8 or NOW % 8 == 0 or (string.byte(ids[1], -1) or 0) % 8 == 0 then trim_due = true end
  if #doneIds > 0 then
    chunked('HDEL', K_JOB, doneIds)
    chunked('HDEL', K_ATT, doneIds)
    if hasRev then chunked('HDEL', K_REV, doneIds) end
  end
  return out, after
end

