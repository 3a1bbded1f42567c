-- chord-join: chord members' completions (ChordJoin, docs/workflows.md), sent before the finishes of their outcomes.
-- A chord's state is one HASH under the callback queue's hash tag (KEYS after the key groups): a field per member
-- index holding its result, and 'n' the count, set to FIRED (negative) once the chord fired. Idempotent by member
-- index: a member that joins again (retried, re-run after a crash between this call and its finish, a stale
-- attempt) changes nothing, and once fired nothing does. The join that records the last result enqueues the
-- callback, its body the template with the results in index order; a failed member's join enqueues the error
-- callbacks and stores the callback's FAILURE record instead. A success costs HSETNX and HINCRBY (the expiry is set
-- at the first join and renewed every 64th), so the state expires about RESULT_TTL after its latest joins; a fired
-- one keeps only 'n'.
-- ARGV after the common ones: G (key groups of 13 queue keys: 0 = the callback's queue), C (chord keys), m (joins),
-- then per join: chord key (1..C), index, size, ok (1/0), result JSON, then the callback (g, queue, id, task,
-- priority, etaMs, body before the results, has suffix (1/0), suffix), the callback's FAILURE record ('' if ok),
-- e, and per error callback g, queue, id, task, priority, etaMs, body.
-- Everything is checked before anything is written. Returns the number of chords that fired.
local G, C, m = tonumber(ARGV[A0 + 1]), tonumber(ARGV[A0 + 2]), tonumber(ARGV[A0 + 3])
if not G or not C or not m or G < 1 or m < 0 or #KEYS ~= 13 * G + C then
  return redis.error_reply('ERR chord-join: bad key counts; nothing was written')
end
local function msg(a, what)
  local g, queue, id, task, prio, eta = tonumber(ARGV[a]), ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5]
  if not g or g < 0 or g >= G or g ~= math.floor(g) then return nil, what .. ': no such key group' end
  if not queue or queue == '' or string.find(queue, '%c') then return nil, what .. ': bad queue' end
  if not id or id == '' then return nil, what .. ': no id' end
  if not task or task == '' or string.find(task, '%c') then return nil, what .. ': bad task name' end
  if not prio or not string.find(prio, '^%d$') then return nil, what .. ': priority is not 0..9' end
  if not eta or (eta ~= '' and (not string.find(eta, '^%d+$') or #eta > 16)) then return nil, what .. ': bad eta' end
  return { oi = 1, g = g, queue = queue, id = id, task = task, prio = tonumber(prio), eta = eta }
end
local joins, a = {}, A0 + 4
for j = 1, m do
  local ck, index, size, ok, value = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), ARGV[a + 3], ARGV[a + 4]
  if not ck or ck < 1 or ck > C or ck ~= math.floor(ck) or not size or size < 1 or size ~= math.floor(size)
      or not index or index < 0 or index >= size or index ~= math.floor(index) or (ok ~= '1' and ok ~= '0')
      or not value or (ok == '1' and value == '') then
    return redis.error_reply('ERR chord-join: join ' .. j .. ' is malformed; nothing was written')
  end
  local cb, why = msg(a + 5, 'join ' .. j .. ' callback')
  if not cb then return redis.error_reply('ERR chord-join: ' .. why .. '; nothing was written') end
  local before, hasSuffix, suffix, rec = ARGV[a + 11], ARGV[a + 12], ARGV[a + 13], ARGV[a + 14]
  local e = tonumber(ARGV[a + 15])
  if not before or not suffix or not rec or not e or e < 0 or (ok == '0' and rec == '') then
    return redis.error_reply('ERR chord-join: join ' .. j .. ' is malformed; nothing was written')
  end
  local errbacks = {}
  a = a + 16
  for k = 1, e do
    local eb, ewhy = msg(a, 'join ' .. j .. ' error callback ' .. k)
    if not eb or not ARGV[a + 6] then
      return redis.error_reply('ERR chord-join: ' .. (ewhy or 'no body') .. '; nothing was written')
    end
    eb.body = ARGV[a + 6]
    errbacks[k] = eb
    a = a + 7
  end
  joins[j] = { key = KEYS[13 * G + ck], index = index, size = size, ok = ok == '1', value = value, cb = cb,
    before = before, suffix = hasSuffix == '1' and suffix or nil, rec = rec, errbacks = errbacks }
end

local function results(key, size)
  local out = {}
  for from = 0, size - 1, 1000 do
    local fields = {}
    for i = from, math.min(size - 1, from + 999) do fields[#fields + 1] = tostring(i) end
    local vals = redis.call('HMGET', key, unpack(fields))
    for i = 1, #fields do out[#out + 1] = vals[i] or 'null' end
  end
  return out
end

local FIRED = -1000000000
local function fired(key)
  redis.call('DEL', key)
  redis.call('HSET', key, 'n', FIRED)
  redis.call('PEXPIRE', key, RESULT_TTL)
end

local count = 0
for _, j in ipairs(joins) do
  if j.ok then
    if redis.call('HSETNX', j.key, tostring(j.index), j.value) == 1 then
      local n = redis.call('HINCRBY', j.key, 'n', 1)
      if n < 0 then
        redis.call('HDEL', j.key, tostring(j.index)) -- fired already: a late join leaves nothing behind
      elseif n >= j.size then
        local cb = j.cb
        cb.body = j.suffix and (j.before .. '[' .. table.concat(results(j.key, j.size), ',') .. ']' .. j.suffix)
          or j.before
        fired(j.key)
        enqueue_follow_ups({ cb }, { 1 })
        count = count + 1
      elseif n == 1 or n % 64 == 0 then
        redis.call('PEXPIRE', j.key, RESULT_TTL)
      end
    end
  elseif (tonumber(redis.call('HGET', j.key, 'n')) or 0) >= 0 then
    fired(j.key)
    enqueue_follow_ups(j.errbacks, { 1 })
    use_keys(j.cb.g)
    QUEUE = j.cb.queue
    store_final(j.cb.id, j.rec)
    flush_published()
    use_keys(0)
    QUEUE = ARGV[3]
    count = count + 1
  end
end
flush_published()
return count
