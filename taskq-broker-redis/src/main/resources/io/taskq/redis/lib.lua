-- Shared prelude of every queue script. The Java side runs the scripts either as one Redis Functions library (Redis
-- 7+: loaded once, so these definitions are made once) or, where that is not available, as one EVAL script each
-- (this prelude, then begin(), then the script's body; every call makes the definitions anew).
-- Every key is declared in KEYS (Redis Cluster, strict proxies): the per-queue keys below, always in this order.
-- Everything a call sets is declared here and set by begin() at the start of every call, so that nothing of one
-- call is seen by the next when the definitions outlive a call (functions).
local K_JOB, K_ATT, K_READY, K_DELAYED, K_ACTIVE
local K_RES, K_RESX, K_REV, K_DEAD, K_DINFO
local K_SEQ, K_MARKER, K_REVX

-- Common ARGV: time comes from the caller's clock so that tests can drive it.
local NOW, NOW_ISO, QUEUE, RESULT_TTL, MAX_REDELIVERIES, DEAD_MAX_COUNT, DEAD_MAX_AGE, CHANNEL
-- MAX_BYTES: the longest job field ("<score>\n<task>\n<body>") a queue takes or hands out (see check_jobs).
local MAX_BYTES
-- Arguments to redis.call go as strings where we have them: Redis 7.0 turns a Lua number into text with '%.17g'.
local NOW_S
local A0 = 9 -- script-specific ARGV start after this index

-- Epoch milliseconds as Java's Instant.toString() prints them at millisecond precision (days to civil date after
-- H. Hinnant's algorithm): 2026-11-21T22:09:15.657Z, or 2026-11-21T22:09:15Z on a whole second.
local function iso_ms(ms)
  local s = math.floor(ms / 1000)
  local frac = ms - s * 1000
  local days = math.floor(s / 86400)
  local sod = s - days * 86400
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  local out = string.format('%04d-%02d-%02dT%02d:%02d:%02d', y, m, d, math.floor(sod / 3600),
    math.floor(sod % 3600 / 60), sod % 60)
  if frac ~= 0 then out = out .. string.format('.%03d', frac) end
  return out .. 'Z'
end

-- ready score = (9 - priority) * 2^49 + sequence: exact in a double (< 2^53), priority 9 first, FIFO inside.
local BAND = 562949953421312
local CHUNK = 1000 -- unpack() has a stack limit; every multi-argument command goes in chunks
local REAP_LIMIT = 100
local PROMOTE_LIMIT = 1000
local TRIM_LIMIT = 100
local REAP_LIMIT_S, PROMOTE_LIMIT_S, TRIM_LIMIT_S = '100', '1000', '100'

-- Integers (scores, ms times, tokens) as exact decimal text: '%d' formats a C long (exact below 2^53, like every
-- number here) and is several times cheaper than '%.0f', which goes through floating-point digit generation.
local function fmt(n)
  return string.format('%d', n)
end

local function chunked(cmd, key, list)
  local out = {}
  for i = 1, #list, CHUNK do
    local part = redis.call(cmd, key, unpack(list, i, math.min(i + CHUNK - 1, #list)))
    if type(part) == 'table' then
      for _, v in ipairs(part) do out[#out + 1] = v end
    end
  end
  return out
end

local function hmget(key, ids)
  if #ids == 0 then return {} end
  return chunked('HMGET', key, ids)
end

local function zmscore(key, ids)
  if #ids == 0 then return {} end
  return chunked('ZMSCORE', key, ids)
end


-- The attempts field: "attempts:token:lostLeases:heldLosses:started"; nil for a malformed one (see check_jobs).
-- lostLeases counts leases that expired while the task had started (they count against it: poison tasks);
-- heldLosses those that expired before it started (a worker died with it held or just claimed: another task's
-- fault), with a bound of their own (held_loss_limit). started is 1 once the claim that holds the token marked it
-- started (at claim for a task going straight to a free slot, or by the started script). A field of the older form
-- "attempts:token:lostLeases" reads as started.
local function parse_att(v)
  if not v then return 0, '0', 0, 0, 0 end
  local a, t, l, h, s = string.match(v, '^(%d+):(%d+):(%d+):(%d+):([01])$')
  if not a then
    a, t, l = string.match(v, '^(%d+):(%d+):(%d+)$')
    h, s = '0', '1'
  end
  a, l, h = tonumber(a), tonumber(l), tonumber(h)
  if not a or a > 1e9 or l > 1e9 or h > 1e9 or #t > 16 then return nil end
  return a, t, l, h, tonumber(s)
end

local function att_text(a, t, l, h, s)
  return a .. ':' .. t .. ':' .. l .. ':' .. h .. ':' .. s
end

-- Losses of a task that never started are bounded too (a task whose workers always die before starting it, for
-- whatever reason, must not circle for ever), but higher: they are other tasks' doing.
local function held_loss_limit()
  return math.max(10, 3 * MAX_REDELIVERIES)
end

-- The job field: "<readyScore>\n<task>\n<body>" (the body is opaque to Redis). The score is 1 to 16 digits and the
-- task name holds no control characters (every writer checks it: the Java client, enqueue, resubmit), so the first
-- two line breaks are the frame's, whatever the body holds. Returns the positions of those two line breaks, or nil
-- for a field without that header.
local function job_header(v)
  local _, i = string.find(v, '^%d+\n')
  if not i or i > 17 then return nil end
  local j = string.find(v, '\n', i + 1, true)
  if not j then return nil end
  return i, j
end

-- A field written by hand without the header is taken as a bare body, so that it reaches a worker and gets
-- dead-lettered with a reason instead of breaking every claim. A missing field (nil) gives no body.
local function split_job(v, fallbackScore)
  local i, j
  if v then i, j = job_header(v) end
  if not i then
    return fallbackScore or fmt(5 * BAND), '?', v
  end
  return string.sub(v, 1, i - 1), string.sub(v, i + 1, j - 1), string.sub(v, j + 1)
end

-- Only the task name of a job field (the claim needs no copy of the body); nil for a field without the header.
local function job_task(v)
  local i, j = job_header(v)
  if not i then return nil end
  return string.sub(v, i + 1, j - 1)
end

local function priority_of(score)
  return math.max(0, 9 - math.floor(tonumber(score) / BAND))
end

local function nz(v)
  if v == nil then return cjson.null end
  return v
end

-- Small integers as text, cached per call (attempt and retry counts are almost always 0..9): formatting a Lua
-- number costs more than the rest of writing a record.
local INT_TEXT
local function int_text(n)
  local v = INT_TEXT[n]
  if not v then
    v = string.format('%d', n)
    INT_TEXT[n] = v
  end
  return v
end

-- A JSON string literal (or null); task names repeat, so their literals are cached per call.
local NAME_JSON
local function json_str(s)
  if s == nil then return 'null' end
  return cjson.encode(s)
end
local function name_json(s)
  if s == nil then return 'null' end
  local v = NAME_JSON[s]
  if not v then
    v = cjson.encode(s)
    NAME_JSON[s] = v
  end
  return v
end

-- The TaskRecord JSON (fields as io.taskq.spi.TaskRecord), written by concatenation: claims write one per task,
-- and cjson.encode of a whole table (with its float formatting of the two counters) cost several times more.
local function make_record(id, task, state, err, retries, attempt, worker, reason)
  return '{"id":' .. json_str(id) .. ',"queue":' .. name_json(QUEUE) .. ',"task":' .. name_json(task)
    .. ',"state":"' .. state .. '","result":null,"error":' .. (err and cjson.encode(err) or 'null')
    .. ',"retries":' .. int_text(retries or 0) .. ',"attempt":' .. int_text(attempt or 0) .. ',"worker":'
    .. name_json(worker) .. ',"updatedAt":' .. name_json(NOW_ISO) .. ',"reason":' .. json_str(reason) .. '}'
end

-- A stored record (io.taskq.spi.TaskRecord as JSON), or nil if there is none or it is not one: only the record's
-- fields, each of its type (counts as non-negative integers), so that whatever a script reads from it, and its
-- re-encoding, cannot fail. A damaged record counts as none (the next write replaces it).
local REC_TEXT = { id = true, queue = true, task = true, state = true, result = true, worker = true,
  updatedAt = true, reason = true }
local ERR_TEXT = { type = true, message = true, stackTrace = true }
local function count_ok(x)
  return type(x) == 'number' and x >= 0 and x <= 2147483647 and x == math.floor(x)
end
local function decode(json)
  if not json then return nil end
  local ok, v = pcall(cjson.decode, json)
  if not ok or type(v) ~= 'table' then return nil end
  for k, x in pairs(v) do
    if REC_TEXT[k] then
      if type(x) ~= 'string' and x ~= cjson.null then return nil end
    elseif k == 'retries' or k == 'attempt' then
      if not count_ok(x) then return nil end
    elseif k == 'error' then
      if x ~= cjson.null then
        if type(x) ~= 'table' or type(x.type) ~= 'string' then return nil end
        for ek, ex in pairs(x) do
          if not ERR_TEXT[ek] or (type(ex) ~= 'string' and ex ~= cjson.null) then return nil end
        end
      end
    else
      return nil
    end
  end
  return v
end

local function field(t, name)
  if t == nil then return nil end
  local v = t[name]
  if v == cjson.null then return nil end
  return v
end

-- flat {a, b, c, d} arguments (score/member or field/value pairs) for multi(); defined with the record writes below.
-- Final records: kept until NOW + RESULT_TTL (index ZSET resx), announced on the channel so that
-- awaitFinal wakes without polling. Notifications are collected and published once per script call.
-- The record writes are batched too (one HSET and one ZADD per script call): every script that stores a final
-- record calls flush_published() before it returns, and no script reads a record it stored in the same call.
local published, finalSet, finalExp
local function store_final(id, json)
  finalSet[#finalSet + 1] = id
  finalSet[#finalSet + 1] = json
  finalExp[#finalExp + 1] = id
  published[#published + 1] = json
end

local function multi(cmd, key, pairs_list, prefix)
  if #pairs_list == 0 then return end
  for i = 1, #pairs_list, CHUNK do
    local last = math.min(i + CHUNK - 1, #pairs_list)
    if prefix then
      redis.call(cmd, key, prefix, unpack(pairs_list, i, last))
    else
      redis.call(cmd, key, unpack(pairs_list, i, last))
    end
  end
end

-- A non-final record (RECEIVED at claim) written with the final ones: one HSET res per call. Only for ids whose
-- record nothing later in the same call reads or writes (claims are the last step of their scripts).
local function store_later(id, json)
  finalSet[#finalSet + 1] = id
  finalSet[#finalSet + 1] = json
end

local function flush_published()
  if #finalSet > 0 and #published == 0 then
    multi('HSET', K_RES, finalSet)
    finalSet = {}
  end
  if #published > 0 then
    multi('HSET', K_RES, finalSet)
    local exp, zs = fmt(NOW + RESULT_TTL), {}
    for i, id in ipairs(finalExp) do
      zs[2 * i - 1] = exp
      zs[2 * i] = id
    end
    multi('ZADD', K_RESX, zs)
    redis.call('PUBLISH', CHANNEL, table.concat(published, '\n'))
    published, finalSet, finalExp = {}, {}, {}
  end
end

local function drop_record(id)
  redis.call('HDEL', K_RES, id)
  redis.call('ZREM', K_RESX, id)
end

-- Expired records go a bounded number at a time, piggy-backing on regular traffic: in every finish call that
-- settles 8 or more tasks, and in about one in eight of the others (picked by the call's time and its first task
-- id, so that neither a frozen test clock nor sequential ids stop it), since the read that looks for them is most
-- of what a lone task's finish would spend on them. Up to 100 per call is still more than the calls bring in.
local trim_due
local function trim_results()
  local old = redis.call('ZRANGEBYSCORE', K_RESX, '-inf', NOW_S, 'LIMIT', '0', TRIM_LIMIT_S)
  if #old > 0 then
    redis.call('HDEL', K_RES, unpack(old))
    redis.call('ZREM', K_RESX, unpack(old))
  end
end

local dead_added
-- size: the length of the whole body when body holds only its beginning (a message too large to keep).
local function add_dead(id, task, reason, attempt, priority, body, size)
  redis.call('ZADD', K_DEAD, NOW, id)
  redis.call('HSET', K_DINFO, id, cjson.encode({ task = nz(task), reason = reason, attempt = attempt,
    priority = priority, body = body, deadAt = NOW, size = size }))
  dead_added = true
end

-- How much of a body too large to keep its dead letter keeps: the first KEEP_BYTES bytes, cut back to the start
-- of a UTF-8 character.
local KEEP_BYTES = 1024
local function head_of(v, from)
  local n = math.min(KEEP_BYTES, #v - from + 1)
  local b = string.byte(v, from + n)
  while n > 0 and b and b >= 128 and b < 192 do
    n = n - 1
    b = string.byte(v, from + n)
  end
  return string.sub(v, from, from + n - 1)
end

-- Entries that a claim or reap must not hand out are dead-lettered here with the reason, and dropped from jobs
-- (jobs[i] = nil) so that the caller leaves them out as it leaves out ids without a job: a job field longer than
-- MAX_BYTES (enqueue refuses those, so it was written behind the scripts' back; only its beginning is copied, into
-- the dead letter, never into a reply) and a malformed attempts field. The checks use what the caller read anyway
-- (no command per task), and nothing here can fail on what it reads, so a caller that runs it before its own writes
-- for these ids cannot stop half way because of them.
local function check_jobs(ids, jobs, atts)
  local bad = {}
  for i, id in ipairs(ids) do
    local job, att = jobs[i], atts[i]
    if job then
      local reason, kind
      if #job > MAX_BYTES then
        reason = 'message of ' .. #job .. ' bytes is over the broker\'s limit of ' .. MAX_BYTES .. ' bytes'
        kind = 'taskq.MessageTooLarge'
      elseif att and not parse_att(att) then
        reason = 'malformed attempts field ' .. cjson.encode(head_of(att, 1)) .. ' (not attempts:token:lostLeases[:heldLosses:started])'
        kind = 'taskq.MalformedEntry'
      end
      if reason then
        local hi, hj = job_header(job)
        local score, task, from = fmt(5 * BAND), '?', 1
        if hi and hj - hi <= KEEP_BYTES then
          score, task, from = string.sub(job, 1, hi - 1), string.sub(job, hi + 1, hj - 1), hj + 1
        end
        local body, size = nil, nil
        if kind == 'taskq.MessageTooLarge' then
          body, size = head_of(job, from), #job - from + 1
        else
          body = string.sub(job, from)
        end
        local a = parse_att(att) or 0
        add_dead(id, task, reason, a, priority_of(score), body, size)
        store_final(id, make_record(id, task, 'FAILURE', { type = kind, message = reason, stackTrace = '' }, 0, a,
          nil, reason))
        bad[#bad + 1] = id
        jobs[i] = nil
      end
    end
  end
  if #bad > 0 then
    chunked('HDEL', K_JOB, bad)
    chunked('HDEL', K_ATT, bad)
    chunked('HDEL', K_REV, bad)
  end
end

-- Dead letters are capped by count and age; bounded work per call.
local function trim_dead()
  if not dead_added then return end
  local over = redis.call('ZCARD', K_DEAD) - DEAD_MAX_COUNT
  if over > 0 then
    local old = redis.call('ZRANGE', K_DEAD, 0, math.min(over, TRIM_LIMIT) - 1)
    redis.call('ZREM', K_DEAD, unpack(old))
    redis.call('HDEL', K_DINFO, unpack(old))
  end
  local aged = redis.call('ZRANGEBYSCORE', K_DEAD, '-inf', '(' .. fmt(NOW - DEAD_MAX_AGE), 'LIMIT', '0', TRIM_LIMIT_S)
  if #aged > 0 then
    redis.call('ZREM', K_DEAD, unpack(aged))
    redis.call('HDEL', K_DINFO, unpack(aged))
  end
end

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
      if revs[i] then
        local prev = decode(redis.call('HGET', K_RES, id))
        redis.call('HDEL', K_JOB, id)
        redis.call('HDEL', K_ATT, id)
        redis.call('HDEL', K_REV, id)
        store_final(id, make_record(id, task, 'REVOKED', nil, 0, a, field(prev, 'worker'), revs[i]))
      elseif l > MAX_REDELIVERIES or h > held_loss_limit() then
        local prev = decode(redis.call('HGET', K_RES, id))
        local reason = 'lease expired ' .. l .. ' times: the worker died or stalled every time (poison task?)'
        if l <= MAX_REDELIVERIES then
          reason = 'lease expired ' .. h .. ' times before the task started: its workers died or stalled while'
            .. ' they held it'
        end
        add_dead(id, task, reason, a, priority_of(score), body)
        redis.call('HDEL', K_JOB, id)
        redis.call('HDEL', K_ATT, id)
        store_final(id, make_record(id, task, 'FAILURE',
          { type = 'taskq.WorkerLost', message = reason, stackTrace = '' },
          field(prev, 'retries') or 0, a, field(prev, 'worker'), reason))
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
-- within the revoke marker's TTL); true if the caller writes its job.
local function admit(k, i, id, task)
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
    store_final(id, make_record(id, task, 'REVOKED', nil, 0, 0, nil, rev))
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
  local groups = #KEYS / 13
  if not n or not f or f < 0 or f ~= math.floor(f) or groups ~= math.floor(groups) then
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
      if admit(k, i, m.id, m.task) then
        local score = fmt((9 - m.prio) * BAND + last - #msgs + i)
        jobs[#jobs + 1] = m.id
        jobs[#jobs + 1] = score .. '\n' .. m.task .. '\n' .. m.body
        local due = m.eta ~= '' and tonumber(m.eta) > NOW and tonumber(m.eta) or nil
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

-- Sets everything a call reads from KEYS and ARGV, and empties what a call collects. Runs first in every call.
local function begin()
  use_keys(0)
  NOW, NOW_ISO, QUEUE = tonumber(ARGV[1]), ARGV[2], ARGV[3]
  RESULT_TTL, MAX_REDELIVERIES = tonumber(ARGV[4]), tonumber(ARGV[5])
  DEAD_MAX_COUNT, DEAD_MAX_AGE, CHANNEL = tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8]
  MAX_BYTES = tonumber(ARGV[9])
  NOW_S = ARGV[1]
  -- A claim sent ahead (queued behind a worker's blocking wait) runs up to the wait's length after it was sent, so
  -- it comes without a time of its own (NOW_ISO empty) and takes the later of Redis's clock and the sender's.
  if NOW_ISO == '' then
    local ms = redis_ms()
    if ms > NOW then NOW = ms end
    NOW_S = string.format('%d', NOW)
    NOW_ISO = iso_ms(NOW)
  end
  INT_TEXT, NAME_JSON = {}, {}
  published, finalSet, finalExp = {}, {}, {}
  trim_due, dead_added = false, false
  firstLease, firstDue = nil, nil
end
