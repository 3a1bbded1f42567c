-- enqueue: ARGV[A0+1] = n, then per message: id, task, priority, etaMs ('' = now), body.
-- Returns per message 1 (enqueued, or stored as REVOKED if revoked before it arrived) or 0 (id already known:
-- queued, delayed, running, with a live record, or dead-lettered).
local n = tonumber(ARGV[A0 + 1])
local ids = {}
for i = 1, n do ids[i] = ARGV[A0 + 2 + (i - 1) * 5] end
local inJob = hmget(K_JOB, ids)
local resExp = zmscore(K_RESX, ids)
local inDead = {}
if redis.call('ZCARD', K_DEAD) > 0 then inDead = zmscore(K_DEAD, ids) end
local revs = {}
if redis.call('HLEN', K_REV) > 0 then revs = hmget(K_REV, ids) end
local last = redis.call('INCRBY', K_SEQ, ARGV[A0 + 1])
local out, seen = {}, {}
local jobs, ready, delayed = {}, {}, {}
local earliest = nil
for i = 1, n do
  local b = A0 + 2 + (i - 1) * 5
  local id, task, prio, eta, body = ARGV[b], ARGV[b + 1], tonumber(ARGV[b + 2]), ARGV[b + 3], ARGV[b + 4]
  local live = resExp[i] and tonumber(resExp[i]) > NOW
  if inJob[i] or live or inDead[i] or seen[id] then
    out[i] = 0
  else
    seen[id] = true
    if resExp[i] then drop_record(id) end -- an expired record not trimmed yet
    if revs[i] then
      redis.call('HDEL', K_REV, id)
      store_final(id, make_record(id, task, 'REVOKED', nil, 0, 0, nil, revs[i]))
    else
      local score = fmt((9 - prio) * BAND + (last - n + i))
      jobs[#jobs + 1] = id
      jobs[#jobs + 1] = score .. '\n' .. task .. '\n' .. body
      if eta ~= '' and tonumber(eta) > NOW then
        delayed[#delayed + 1] = eta
        delayed[#delayed + 1] = id
        if earliest == nil or tonumber(eta) < earliest then earliest = tonumber(eta) end
      else
        ready[#ready + 1] = score
        ready[#ready + 1] = id
      end
    end
    out[i] = 1
  end
end
multi('HSET', K_JOB, jobs)
multi('ZADD', K_READY, ready)
multi('ZADD', K_DELAYED, delayed)
if #ready > 0 then wake_ready() end
if earliest then wake_at(earliest) end
flush_published()
return out
