-- revoke: ARGV[A0+1] = id, [A0+2] = reason, [A0+3] = revoke marker TTL (ms). Returns REMOVED, SIGNALLED,
-- ALREADY_FINISHED or NOT_FOUND.
-- A revoke of an id the queue does not know leaves a marker (HSET rev) so that the task is revoked if it arrives
-- within the TTL; its expiry goes in the index revx. Expired markers are ignored by enqueue and deleted here, a
-- bounded number per call, so unknown-id revokes cannot pile up.
local id, reason, markerTtl = ARGV[A0 + 1], ARGV[A0 + 2], tonumber(ARGV[A0 + 3])
local old = redis.call('ZRANGEBYSCORE', K_REVX, '-inf', NOW_S, 'LIMIT', '0', TRIM_LIMIT_S)
if #old > 0 then
  redis.call('HDEL', K_REV, unpack(old))
  redis.call('ZREM', K_REVX, unpack(old))
end
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
  redis.call('ZADD', K_REVX, fmt(NOW + markerTtl), id)
  return 'NOT_FOUND'
end
if redis.call('ZSCORE', K_ACTIVE, id) then
  -- A running task's marker lives until the task ends (finish, reap, release); it never expires.
  redis.call('HSET', K_REV, id, reason)
  return 'SIGNALLED'
end
-- A queued chord member stays queued, marked, for a worker to end it and join its chord (end_member, lib-reap.lua).
if end_member(id, job, 'REVOKED', reason) then return 'SIGNALLED' end
redis.call('ZREM', K_READY, id)
redis.call('ZREM', K_DELAYED, id)
local a = parse_att(redis.call('HGET', K_ATT, id))
local prev = decode(redis.call('HGET', K_RES, id))
local _, task = split_job(job)
redis.call('HDEL', K_JOB, id)
redis.call('HDEL', K_ATT, id)
store_final(id, make_record(id, task, 'REVOKED', nil, 0, a, field(prev, 'worker'), reason, msg_lineage(id, job)))
flush_published()
return 'REMOVED'
