-- enqueue: ARGV[A0+1] = n, or -n if the caller reserved the sequence numbers (INCRBY seq before the call) and sends
-- scores and job fields ready-made; then runs of consecutive messages that share task, priority and eta: count,
-- task, priority, etaMs ('' = now), then per message of the run: id, body -- or with reserved numbers: id, score,
-- job field ("<score>\n<task>\n<body>"). (Runs, because every argument costs Redis a parsed string and a hashed Lua
-- string, and the messages of one batch mostly share all three; ready-made fields, because building the ~450-byte
-- field here makes a new Lua string, which Redis hashes byte by byte: a fifth of the work per task.)
-- A lone message (n = 1) comes without the count of its run: one argument less on the one-by-one path.
-- Returns per message 1 (enqueued, or stored as REVOKED if revoked before it arrived, within the revoke marker's
-- TTL) or 0 (id already known: queued, delayed, running, with a live record, or dead-lettered; the earlier task
-- stands, and the caller's handle says it was not created).
local n = tonumber(ARGV[A0 + 1])
local pre = n < 0
if pre then n = -n end
local W = pre and 3 or 2
local H = n == 1 and 3 or 4 -- run header: count (left out for a lone message), task, priority, eta
local ids = {}
do
  local a, k = A0 + 2, 0
  while k < n do
    local c = H == 4 and tonumber(ARGV[a]) or 1
    a = a + H
    for _ = 1, c do
      k = k + 1
      ids[k] = ARGV[a]
      a = a + W
    end
  end
end
local inJob = hmget(K_JOB, ids)
local resExp = zmscore(K_RESX, ids)
local inDead = {}
if redis.call('ZCARD', K_DEAD) > 0 then inDead = zmscore(K_DEAD, ids) end
local revs, revExp = {}, {}
if redis.call('HLEN', K_REV) > 0 then
  revs = hmget(K_REV, ids)
  revExp = zmscore(K_REVX, ids)
end
local last
if not pre then last = redis.call('INCRBY', K_SEQ, ARGV[A0 + 1]) end
local out, seen = {}, {}
local jobs, ready, delayed = {}, {}, {}
local nj, nr, nd = 0, 0, 0
local earliest = nil
local task, eta, due, base
local a, left = A0 + 2, 0 -- a: the current message's first argument; left: messages left in the current run
for i = 1, n do
  if left == 0 then
    local h = a + H - 4 -- where the count is, or would be
    left = H == 4 and tonumber(ARGV[a]) or 1
    task, eta = ARGV[h + 1], ARGV[h + 3]
    due = eta ~= '' and tonumber(eta) > NOW and tonumber(eta) or nil
    if not pre then base = (9 - tonumber(ARGV[h + 2])) * BAND + last - n end
    a = a + H
  end
  left = left - 1
  local id = ids[i]
  local live = resExp[i] and tonumber(resExp[i]) > NOW
  if inJob[i] or live or inDead[i] or seen[id] then
    out[i] = 0
  else
    seen[id] = true
    if resExp[i] then drop_record(id) end -- an expired record not trimmed yet
    local rev = revs[i]
    if rev then
      redis.call('HDEL', K_REV, id)
      if revExp[i] then
        redis.call('ZREM', K_REVX, id)
        if tonumber(revExp[i]) <= NOW then rev = nil end -- the revoke marker expired: it no longer applies
      end
    end
    if rev then
      store_final(id, make_record(id, task, 'REVOKED', nil, 0, 0, nil, rev))
    else
      local score
      jobs[nj + 1] = id
      if pre then
        score = ARGV[a + 1]
        jobs[nj + 2] = ARGV[a + 2]
      else
        score = fmt(base + i)
        jobs[nj + 2] = score .. '\n' .. task .. '\n' .. ARGV[a + 1]
      end
      nj = nj + 2
      if due then
        delayed[nd + 1] = eta
        delayed[nd + 2] = id
        nd = nd + 2
        if earliest == nil or due < earliest then earliest = due end
      else
        ready[nr + 1] = score
        ready[nr + 2] = id
        nr = nr + 2
      end
    end
    out[i] = 1
  end
  a = a + W
end
multi('HSET', K_JOB, jobs)
multi('ZADD', K_READY, ready)
multi('ZADD', K_DELAYED, delayed)
if nr > 0 then wake_ready() end
if earliest then wake_at(earliest) end
flush_published()
return out
