-- revoke: ARGV[A0+1] = id, [A0+2] = reason. Returns REMOVED, SIGNALLED, ALREADY_FINISHED or NOT_FOUND.
local id, reason = ARGV[A0 + 1], ARGV[A0 + 2]
local job = redis.call('HGET', K_JOB, id)
if not job then
  local exp = redis.call('ZSCORE', K_RESX, id)
  if exp and tonumber(exp) > NOW then
    local r = decode(redis.call('HGET', K_RES, id))
    local s = field(r, 'state')
    if s == 'SUCCESS' or s == 'FAILURE' or s == 'REVOKED' then return 'ALREADY_FINISHED' end
  end
  if redis.call('ZSCORE', K_DEAD, id) then return 'ALREADY_FINISHED' end
  redis.call('HSET', K_REV, id, reason)
  return 'NOT_FOUND'
end
if redis.call('ZSCORE', K_ACTIVE, id) then
  redis.call('HSET', K_REV, id, reason)
  return 'SIGNALLED'
end
redis.call('ZREM', K_READY, id)
redis.call('ZREM', K_DELAYED, id)
local a = parse_att(redis.call('HGET', K_ATT, id))
local prev = decode(redis.call('HGET', K_RES, id))
local _, task = split_job(job)
redis.call('HDEL', K_JOB, id)
redis.call('HDEL', K_ATT, id)
store_final(id, make_record(id, task, 'REVOKED', nil, 0, a, field(prev, 'worker'), reason))
flush_published()
return 'REMOVED'
