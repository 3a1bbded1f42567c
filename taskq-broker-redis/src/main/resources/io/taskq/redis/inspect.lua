-- inspect: read-only-ish views (a single record is read without a script: RedisBroker.get). ARGV[A0+1] = what:
-- 'stats' -> {ready, delayed, active, dead} after reaping (like the in-memory broker); 'dead'
-- (limit) -> {id1, deadAt1, info1, ...} newest first; 'purge' -> how many dead letters were removed (<= 1000 per
-- call, the caller loops).
local what = ARGV[A0 + 1]
if what == 'stats' then
  reap()
  flush_published()
  trim_dead()
  return { redis.call('ZCARD', K_READY), redis.call('ZCARD', K_DELAYED), redis.call('ZCARD', K_ACTIVE),
    redis.call('ZCARD', K_DEAD) }
elseif what == 'dead' then
  local limit = tonumber(ARGV[A0 + 2])
  local ids = redis.call('ZREVRANGE', K_DEAD, 0, limit - 1)
  local infos = hmget(K_DINFO, ids)
  local out = {}
  for i, id in ipairs(ids) do
    out[#out + 1] = id
    out[#out + 1] = infos[i] or '{}'
  end
  return out
elseif what == 'purge' then
  local ids = redis.call('ZRANGE', K_DEAD, 0, 999)
  if #ids == 0 then return 0 end
  redis.call('ZREM', K_DEAD, unpack(ids))
  redis.call('HDEL', K_DINFO, unpack(ids))
  return #ids
end
return redis.error_reply('unknown inspect ' .. tostring(what))
