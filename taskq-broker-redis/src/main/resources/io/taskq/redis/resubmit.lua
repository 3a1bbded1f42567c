-- resubmit: ARGV[A0+1] = id, [A0+2] = newBody. Moves a dead letter back to ready (new place in line, attempts
-- reset, old record dropped). Returns 1, or 0 if there is no such dead letter.
local id, body = ARGV[A0 + 1], ARGV[A0 + 2]
local info = decode(redis.call('HGET', K_DINFO, id))
if not info then return 0 end
redis.call('ZREM', K_DEAD, id)
redis.call('HDEL', K_DINFO, id)
drop_record(id)
local prio = tonumber(field(info, 'priority') or 4)
local score = fmt((9 - prio) * BAND + redis.call('INCR', K_SEQ))
local task = field(info, 'task') or '?'
redis.call('HSET', K_JOB, id, score .. '\n' .. task .. '\n' .. body)
redis.call('HDEL', K_ATT, id)
redis.call('ZADD', K_READY, score, id)
wake_ready()
return 1
