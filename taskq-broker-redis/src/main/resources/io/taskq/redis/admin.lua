-- admin: queue operations that change many tasks, in bounded steps that QueueAdministration repeats, so that no
-- call holds Redis for long however large the queue. ARGV[A0+1] = what:
-- 'purge' (limit) -> {removed, ready left}: promotes due delayed tasks (as a claim would: they are ready), then
--   deletes up to limit ready tasks, lowest score first (every band), with all the queue keeps of them: job field,
--   attempts, revoke marker, record. Purged tasks vanish, as in Celery: no final record, nothing published.
-- 'dead' (op, fromMs, toMs, task, errorType, cursorMs, cursorId, scan, limit) -> {more, lastMs, lastId, n, then n
--   dead letters as dead_entries returns them (op 'find'; none for op 'delete')}: reads up to scan dead letters in
--   the order of the dead set (time, then id) after the cursor ('' = from the start) and within [fromMs, toMs]
--   ('' = unbounded), and takes those that match (task name exactly, errorType named in the reason as
--   DeadLetterFilter says; '' = any) up to limit: op 'delete' deletes them, op 'find' returns them. more = 1 if
--   the scan stopped before the end (scan or limit reached); lastMs/lastId: the last dead letter read (the next
--   cursor). The cursor is a position by value: the member itself, put back for the moment of the rank lookup if
--   it left the set, so that dead letters removed between steps skip none of the others.
-- 'deadone' (id) -> 1 if the dead letter id was deleted, 0 if there was none.
-- Every argument is checked before anything is written.
local function purge_ready(limit)
  promote()
  local ids = redis.call('ZRANGE', K_READY, '0', fmt(limit - 1))
  if #ids > 0 then
    chunked('ZREM', K_READY, ids)
    chunked('HDEL', K_JOB, ids)
    chunked('HDEL', K_ATT, ids)
    if redis.call('HLEN', K_REV) > 0 then chunked('HDEL', K_REV, ids) end
    chunked('HDEL', K_RES, ids)
    chunked('ZREM', K_RESX, ids)
  end
  return { #ids, redis.call('ZCARD', K_READY) }
end

-- The stored (JSON-escaped) text of a field's string value in a dead letter's info as the scripts write it (cjson:
-- no spaces; inside a string every '"' is escaped, so an unescaped '"reason":"' is the key itself), found without
-- decoding the entry, whose body is most of it; nil if the field is not there in that form.
local function raw_text(info, name)
  local _, p = string.find(info, '"' .. name .. '":"', 1, true)
  if not p then return nil end
  local q = p
  while true do
    q = string.find(info, '"', q + 1, true)
    if not q then return nil end
    local b = q - 1
    while string.byte(info, b) == 92 do b = b - 1 end
    if (q - 1 - b) % 2 == 0 then return string.sub(info, p + 1, q - 1) end
  end
end

-- Whether a reason names an error type as DeadLetterFilter says: ': ' .. type .. ':' in ': ' .. reason .. ':'.
local function names_type(reason, etype)
  return string.find(': ' .. reason .. ':', ': ' .. etype .. ':', 1, true) ~= nil
end

-- Whether a dead letter's stored info names task (exactly) and errorType (in its reason); '' = any. Fast path on the
-- stored text (exact for names without characters that JSON escapes: the scan reads up to MAX_SCAN entries per
-- call, and decoding each whole entry would cost most of the call); otherwise, or for an entry not in the scripts'
-- form, the entry is decoded.
local function dead_matches(id, task, etype)
  if task == '' and etype == '' then return true end
  if redis.call('HSTRLEN', K_DINFO, id) > 8 * MAX_BYTES then return false end
  local info = redis.call('HGET', K_DINFO, id) or ''
  local plain = not string.find(task .. etype, '[%c"\\/]')
  if plain then
    local t, r = raw_text(info, 'task'), raw_text(info, 'reason')
    if (task == '' or t) and (etype == '' or r) then
      return (task == '' or t == task) and (etype == '' or names_type(r, etype))
    end
  end
  local ok, d = pcall(cjson.decode, info)
  if not ok or type(d) ~= 'table' then return false end
  if task ~= '' and d.task ~= task then return false end
  return etype == '' or (type(d.reason) == 'string' and names_type(d.reason, etype))
end

-- The rank the scan starts at: after the cursor, and not below fromMs.
local function scan_start(fromMs, curMs, curId)
  local start = 0
  if curId ~= '' then
    local added = redis.call('ZADD', K_DEAD, 'NX', curMs, curId)
    start = redis.call('ZRANK', K_DEAD, curId)
    if added == 1 then redis.call('ZREM', K_DEAD, curId) else start = start + 1 end
  end
  if fromMs ~= '' then start = math.max(start, redis.call('ZCOUNT', K_DEAD, '-inf', '(' .. fromMs)) end
  return start
end

local function dead_scan(op, fromMs, toMs, task, etype, curMs, curId, scan, limit)
  local start = scan_start(fromMs, curMs, curId)
  local flat = redis.call('ZRANGE', K_DEAD, start, start + scan - 1, 'WITHSCORES')
  local ids, scores, lastMs, lastId, more = {}, {}, curMs, curId, #flat == 2 * scan
  local to = toMs ~= '' and tonumber(toMs) or nil
  for i = 1, #flat, 2 do
    if to and tonumber(flat[i + 1]) > to then
      more = false
      break
    end
    lastId, lastMs = flat[i], flat[i + 1]
    if dead_matches(flat[i], task, etype) then
      ids[#ids + 1] = flat[i]
      scores[#scores + 1] = flat[i + 1]
      if #ids == limit then
        more = true
        break
      end
    end
  end
  local out = { more and 1 or 0, lastMs, lastId, #ids }
  if op == 'delete' then
    if #ids > 0 then
      chunked('ZREM', K_DEAD, ids)
      chunked('HDEL', K_DINFO, ids)
    end
    return out
  end
  for _, v in ipairs(dead_entries(ids, scores)) do out[#out + 1] = v end
  return out
end

local function int_arg(v, low, high)
  local n = tonumber(v)
  if not n or n ~= math.floor(n) or n < low or n > high then return nil end
  return n
end

local what = ARGV[A0 + 1]
if what == 'purge' then
  local limit = int_arg(ARGV[A0 + 2], 1, 100000)
  if not limit then return redis.error_reply('ERR admin purge: limit is not 1..100000') end
  return purge_ready(limit)
elseif what == 'dead' then
  local op, fromMs, toMs, task, etype = ARGV[A0 + 2], ARGV[A0 + 3], ARGV[A0 + 4], ARGV[A0 + 5], ARGV[A0 + 6]
  local curMs, curId = ARGV[A0 + 7], ARGV[A0 + 8]
  local scan, limit = int_arg(ARGV[A0 + 9], 1, 100000), int_arg(ARGV[A0 + 10], 1, 100000)
  if (op ~= 'find' and op ~= 'delete') or not scan or not limit or not task or not etype
    or (fromMs ~= '' and not int_arg(fromMs, -1e15, 1e15)) or (toMs ~= '' and not int_arg(toMs, -1e15, 1e15))
    or not curId or (curId ~= '' and not int_arg(curMs, -1e15, 1e15)) then
    return redis.error_reply('ERR admin dead: bad arguments')
  end
  return dead_scan(op, fromMs, toMs, task, etype, curMs, curId, scan, limit)
elseif what == 'deadone' then
  local id = ARGV[A0 + 2]
  if not id or id == '' then return redis.error_reply('ERR admin deadone: no id') end
  local n = redis.call('ZREM', K_DEAD, id)
  redis.call('HDEL', K_DINFO, id)
  return n
end
return redis.error_reply('ERR unknown admin ' .. tostring(what))
