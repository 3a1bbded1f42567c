-- Shared prelude, prepended by the Java side to every queue script before SCRIPT LOAD.
-- Every key is declared in KEYS (Redis Cluster, strict proxies): the per-queue keys below, always in this order.
local K_JOB, K_ATT, K_READY, K_DELAYED, K_ACTIVE = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local K_RES, K_RESX, K_REV, K_DEAD, K_DINFO = KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10]
local K_SEQ, K_MARKER = KEYS[11], KEYS[12]

-- Common ARGV: time comes from the caller's clock so that tests can drive it.
local NOW = tonumber(ARGV[1])
local NOW_ISO = ARGV[2]
local QUEUE = ARGV[3]
local RESULT_TTL = tonumber(ARGV[4])
local MAX_REDELIVERIES = tonumber(ARGV[5])
local DEAD_MAX_COUNT = tonumber(ARGV[6])
local DEAD_MAX_AGE = tonumber(ARGV[7])
local CHANNEL = ARGV[8]
local A0 = 8 -- script-specific ARGV start after this index

-- ready score = (9 - priority) * 2^49 + sequence: exact in a double (< 2^53), priority 9 first, FIFO inside.
local BAND = 562949953421312
local CHUNK = 1000 -- unpack() has a stack limit; every multi-argument command goes in chunks
local REAP_LIMIT = 100
local PROMOTE_LIMIT = 1000
local TRIM_LIMIT = 100

local function fmt(n)
  return string.format('%.0f', n)
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

-- flat {a, b, c, d} arguments (score/member or field/value pairs)
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

-- The attempts field: "attempts:token:lostLeases".
local function parse_att(v)
  if not v then return 0, '0', 0 end
  local a, t, l = string.match(v, '^(%d+):(%d+):(%d+)$')
  return tonumber(a), t, tonumber(l)
end

-- The job field: "<readyScore>\n<task>\n<body>" (the body is opaque to Redis). A field written by hand without
-- that header is taken as a bare body, so that it reaches a worker and gets dead-lettered with a reason instead of
-- breaking every claim.
local function split_job(v, fallbackScore)
  local i = string.find(v, '\n', 1, true)
  local j = i and string.find(v, '\n', i + 1, true)
  if not j or not tonumber(string.sub(v, 1, i - 1)) then
    return fallbackScore or fmt(5 * BAND), '?', v
  end
  return string.sub(v, 1, i - 1), string.sub(v, i + 1, j - 1), string.sub(v, j + 1)
end

local function priority_of(score)
  return 9 - math.floor(tonumber(score) / BAND)
end

local function nz(v)
  if v == nil then return cjson.null end
  return v
end

local function make_record(id, task, state, err, retries, attempt, worker, reason)
  return cjson.encode({ id = id, queue = QUEUE, task = nz(task), state = state, result = cjson.null,
    error = nz(err), retries = retries or 0, attempt = attempt or 0, worker = nz(worker),
    updatedAt = NOW_ISO, reason = nz(reason) })
end

local function decode(json)
  if not json then return nil end
  local ok, v = pcall(cjson.decode, json)
  if ok and type(v) == 'table' then return v end
  return nil
end

local function field(t, name)
  if t == nil then return nil end
  local v = t[name]
  if v == cjson.null then return nil end
  return v
end

-- Final records: kept until NOW + RESULT_TTL (index ZSET resx), announced on the channel so that
-- awaitFinal wakes without polling. Notifications are collected and published once per script call.
local published = {}
local function store_final(id, json)
  redis.call('HSET', K_RES, id, json)
  redis.call('ZADD', K_RESX, fmt(NOW + RESULT_TTL), id)
  published[#published + 1] = json
end

local function flush_published()
  if #published > 0 then
    redis.call('PUBLISH', CHANNEL, table.concat(published, '\n'))
  end
end

local function drop_record(id)
  redis.call('HDEL', K_RES, id)
  redis.call('ZREM', K_RESX, id)
end

-- Expired records go a bounded number at a time, piggy-backing on regular traffic.
local function trim_results()
  local old = redis.call('ZRANGEBYSCORE', K_RESX, '-inf', NOW, 'LIMIT', 0, TRIM_LIMIT)
  if #old > 0 then
    redis.call('HDEL', K_RES, unpack(old))
    redis.call('ZREM', K_RESX, unpack(old))
  end
end

local dead_added = false
local function add_dead(id, task, reason, attempt, priority, body)
  redis.call('ZADD', K_DEAD, NOW, id)
  redis.call('HSET', K_DINFO, id, cjson.encode({ task = nz(task), reason = reason, attempt = attempt,
    priority = priority, body = body, deadAt = NOW }))
  dead_added = true
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
  local aged = redis.call('ZRANGEBYSCORE', K_DEAD, '-inf', '(' .. fmt(NOW - DEAD_MAX_AGE), 'LIMIT', 0, TRIM_LIMIT)
  if #aged > 0 then
    redis.call('ZREM', K_DEAD, unpack(aged))
    redis.call('HDEL', K_DINFO, unpack(aged))
  end
end

local function wake_ready()
  redis.call('ZADD', K_MARKER, 0, '0')
end

local function wake_at(due)
  redis.call('ZADD', K_MARKER, 'LT', fmt(due), '1')
end

-- Takes back leases that expired (the worker died or stalled): ready again with the same place in line, or
-- dead after MAX_REDELIVERIES lost leases, or REVOKED if a revoke was pending. Bounded per call.
local function reap()
  local expired = redis.call('ZRANGEBYSCORE', K_ACTIVE, '-inf', NOW, 'LIMIT', 0, REAP_LIMIT)
  if #expired == 0 then return end
  redis.call('ZREM', K_ACTIVE, unpack(expired))
  local atts = hmget(K_ATT, expired)
  local jobs = hmget(K_JOB, expired)
  local revs = {}
  if redis.call('HLEN', K_REV) > 0 then revs = hmget(K_REV, expired) end
  local ready, any = {}, false
  for i, id in ipairs(expired) do
    if jobs[i] then
      local a, t, l = parse_att(atts[i])
      l = l + 1
      local score, task, body = split_job(jobs[i])
      if revs[i] then
        local prev = decode(redis.call('HGET', K_RES, id))
        redis.call('HDEL', K_JOB, id)
        redis.call('HDEL', K_ATT, id)
        redis.call('HDEL', K_REV, id)
        store_final(id, make_record(id, task, 'REVOKED', nil, 0, a, field(prev, 'worker'), revs[i]))
      elseif l > MAX_REDELIVERIES then
        local prev = decode(redis.call('HGET', K_RES, id))
        local reason = 'lease expired ' .. l .. ' times: the worker died or stalled every time (poison task?)'
        add_dead(id, task, reason, a, priority_of(score), body)
        redis.call('HDEL', K_JOB, id)
        redis.call('HDEL', K_ATT, id)
        store_final(id, make_record(id, task, 'FAILURE',
          { type = 'taskq.WorkerLost', message = reason, stackTrace = '' },
          field(prev, 'retries') or 0, a, field(prev, 'worker'), reason))
      else
        redis.call('HSET', K_ATT, id, a .. ':' .. t .. ':' .. l)
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
  local due = redis.call('ZRANGEBYSCORE', K_DELAYED, '-inf', NOW, 'LIMIT', 0, PROMOTE_LIMIT)
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
      local a, t, l = parse_att(atts[i])
      if t == tokens[i] then
        res[i] = { a = a, t = t, l = l, lease = tonumber(leases[i]) }
      end
    end
  end
  return res
end
