-- release: ARGV[A0+1] = n, then per claim: id, token. Graceful hand-back: ready again at once in its old place,
-- the attempt not counted; a task revoked meanwhile ends REVOKED instead. Returns how many were released.
local n = tonumber(ARGV[A0 + 1])
local ids, tokens = {}, {}
for i = 1, n do
  ids[i] = ARGV[A0 + 2 + (i - 1) * 2]
  tokens[i] = ARGV[A0 + 3 + (i - 1) * 2]
end
local own = owned(ids, tokens)
local count, any = 0, false
for i, id in ipairs(ids) do
  local o = own[i]
  if o then
    count = count + 1
    redis.call('ZREM', K_ACTIVE, id)
    local a = math.max(0, o.a - 1)
    local job = redis.call('HGET', K_JOB, id)
    local prev = decode(redis.call('HGET', K_RES, id))
    local rev = redis.call('HGET', K_REV, id)
    local score, task = split_job(job)
    if rev and end_member(id, job, 'REVOKED', rev) then
      rev = nil -- a chord member: queued again, marked, for a worker to end it and join its chord
      redis.call('HDEL', K_REV, id)
    end
    if rev then
      redis.call('HDEL', K_JOB, id)
      redis.call('HDEL', K_ATT, id)
      redis.call('HDEL', K_REV, id)
      store_final(id, make_record(id, task, 'REVOKED', nil, 0, a, field(prev, 'worker'), rev, msg_lineage(id, job)))
    else
      redis.call('HSET', K_ATT, id, att_text(a, o.t, o.l, o.h, 0))
      redis.call('ZADD', K_READY, score, id)
      any = true
      if prev and not (prev.state == 'SUCCESS' or prev.state == 'FAILURE' or prev.state == 'REVOKED') then
        if prev.state == 'RETRY' or field(prev, 'error') then
          prev.state = 'RETRY'
          prev.updatedAt = NOW_ISO
          redis.call('HSET', K_RES, id, cjson.encode(prev))
        else
          drop_record(id)
        end
      end
    end
  end
end
if any then wake_ready() end
flush_published()
return count
