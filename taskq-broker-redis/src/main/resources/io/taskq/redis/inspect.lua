-- inspect: read-only-ish views (a single record is read without a script: RedisBroker.get). ARGV[A0+1] = what:
-- 'stats' -> {ready, delayed, active, dead} after reaping (like the in-memory broker); 'dead' (limit) -> {id1,
-- deadAtMs1, info1, ...} newest first; 'deadone' (id) -> {id, deadAtMs, info} or {} if there is no such dead
-- letter; 'purge' -> how many dead letters were removed (<= 1000 per call, the caller loops).
-- A dead letter's info is its stored JSON text, '' if there is none, or, if it is longer than any info taskq
-- writes (8 * MAX_BYTES: a body of at most MAX_BYTES, escaped), its length as a number: such an entry was written
-- by something else, and is reported (RedisBroker lists it as incomplete) without being read or sent.
local function dead_entries(ids, scores)
  local lens = {}
  for i, id in ipairs(ids) do lens[i] = redis.call('HSTRLEN', K_DINFO, id) end
  local small = {}
  for i, id in ipairs(ids) do
    if lens[i] > 0 and lens[i] <= 8 * MAX_BYTES then small[#small + 1] = id end
  end
  local infos = hmget(K_DINFO, small)
  local out, j = {}, 1
  for i, id in ipairs(ids) do
    out[#out + 1] = id
    out[#out + 1] = scores[i]
    if lens[i] == 0 then
      out[#out + 1] = ''
    elseif lens[i] > 8 * MAX_BYTES then
      out[#out + 1] = lens[i]
    else
      out[#out + 1] = infos[j] or ''
      j = j + 1
    end
  end
  return out
end

local what = ARGV[A0 + 1]
if what == 'stats' then
  reap()
  flush_published()
  trim_dead()
  return { redis.call('ZCARD', K_READY), redis.call('ZCARD', K_DELAYED), redis.call('ZCARD', K_ACTIVE),
    redis.call('ZCARD', K_DEAD) }
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
elseif what == 'purge' then
  local ids = redis.call('ZRANGE', K_DEAD, 0, 999)
  if #ids == 0 then return 0 end
  redis.call('ZREM', K_DEAD, unpack(ids))
  redis.call('HDEL', K_DINFO, unpack(ids))
  return #ids
end
return redis.error_reply('unknown inspect ' .. tostring(what))
