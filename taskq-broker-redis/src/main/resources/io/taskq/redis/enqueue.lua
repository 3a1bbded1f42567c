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
-- Every argument is checked before anything is written (Redis keeps what a failing script wrote), so that no
-- client, this one or another, can store a job field whose frame (see job_header in lib-format.lua) says something else
-- than the arguments, or one longer than MAX_BYTES: a task name is not empty and has no control characters, and a
-- message fits if its task name and body together take at most MAX_BYTES - 18 bytes (18: the frame's two line
-- breaks and the longest score).
local function refuse(k, what)
  return redis.error_reply('ERR enqueue: message ' .. k .. ' refused: ' .. what .. '; nothing was enqueued')
end
local ids = {}
do
  local a, k = A0 + 2, 0
  while k < n do
    local c = H == 4 and tonumber(ARGV[a]) or 1
    local h = a + H - 4
    local rtask, rprio, reta = ARGV[h + 1], ARGV[h + 2], ARGV[h + 3]
    if not c or c < 1 or c > n - k or c ~= math.floor(c) then return refuse(k + 1, 'bad run length') end
    if not rtask or rtask == '' or string.find(rtask, '%c') then
      return refuse(k + 1, 'the task name is empty or has a control character')
    end
    if not rprio or not string.find(rprio, '^%d$') then return refuse(k + 1, 'priority is not 0..9') end
    if not reta or (reta ~= '' and not string.find(reta, '^%d%d?%d?%d?%d?%d?%d?%d?%d?%d?%d?%d?%d?%d?%d?%d?$')) then
      return refuse(k + 1, 'eta is not a time in ms')
    end
    a = a + H
    for _ = 1, c do
      k = k + 1
      ids[k] = ARGV[a]
      if not ids[k] or ids[k] == '' then return refuse(k, 'no id') end
      if pre then
        local score, job = ARGV[a + 1], ARGV[a + 2]
        local i, j
        if score and job then i, j = job_header(job) end
        if not i or i ~= #score + 1 or j ~= i + #rtask + 1 or string.find(job, score, 1, true) ~= 1
          or string.find(job, rtask, i + 1, true) ~= i + 1 then
          return refuse(k, 'the job field does not start with its score and task name')
        end
        if #job > MAX_BYTES then
          return refuse(k, 'the message is ' .. #job .. ' bytes, over the limit of ' .. MAX_BYTES)
        end
      else
        local body = ARGV[a + 1]
        if not body then return refuse(k, 'no body') end
        if #rtask + #body + 18 > MAX_BYTES then
          return refuse(k, 'task name and body are ' .. (#rtask + #body) .. ' bytes, over the limit of '
            .. (MAX_BYTES - 18))
        end
      end
      a = a + W
    end
  end
end
-- Unique tasks (docs/limits.md#unique-tasks): a message whose limits header (its first, see lib-claim.lua) has a
-- "u|<key>|<mode>|<windowMs>" entry is enqueued only if no live task of the queue holds the key in K_UNIQ (the
-- last key; field key -> "<id>|<mode>|<untilMs>"). A holder is live by its mode, checked here and never released:
-- q while it is ready or delayed, s also while claimed but not started, f while it has a job field, w until untilMs.
local K_UNIQ = #KEYS == 14 and KEYS[14] or nil
local uniq_taken = {}

local function unique_of(v)
  if not K_UNIQ or not v then return nil end
  local from = 1
  if pre then
    local _, j = job_header(v)
    if not j then return nil end
    from = j + 1
  end
  local spec = string.match(v, '^{"v":1,"headers":{"limits":"([^"]*)"', from)
  if not spec then return nil end
  local key, mode, win = string.match(' ' .. spec, ' u|([^| ]+)|([qsfw])|(%d+)')
  if not key then return nil end
  return { key = key, mode = mode, win = tonumber(win) }
end

-- Whether a stored holder ("<id>|<mode>|<untilMs>") still holds its key against a task other than id.
local function holds(v, id)
  local hid, mode, untilMs = string.match(v, '^(.*)|([qsfw])|(%d+)$')
  if not hid or hid == id then return false end
  if mode == 'w' then return tonumber(untilMs) > NOW end
  if mode == 'f' then return redis.call('HEXISTS', K_JOB, hid) == 1 end
  if redis.call('ZSCORE', K_READY, hid) or redis.call('ZSCORE', K_DELAYED, hid) then return true end
  if mode == 's' and redis.call('ZSCORE', K_ACTIVE, hid) then
    local _, _, _, _, started = parse_att(redis.call('HGET', K_ATT, hid) or nil)
    return started == 0
  end
  return false
end

local function unique_held(u, id)
  local taken = uniq_taken[u.key]
  if taken then return taken ~= id end
  local v = redis.call('HGET', K_UNIQ, u.key)
  return v and holds(v, id) or false
end

-- A key whose holder ended stays stored until a task with the same key comes; so that keys that never repeat do
-- not pile up, a call that took a key checks a few others at random and deletes those that no longer hold (not
-- this call's: their tasks are written after the loop). Each such call removes up to UNIQ_SAMPLE and adds its own,
-- so the hash stays within a small multiple of the keys that still hold.
local UNIQ_SAMPLE = 8
local function trim_uniques()
  local s = redis.call('HRANDFIELD', K_UNIQ, UNIQ_SAMPLE, 'WITHVALUES')
  local gone = {}
  for i = 1, #s, 2 do
    if not uniq_taken[s[i]] and not holds(s[i + 1], nil) then gone[#gone + 1] = s[i] end
  end
  if #gone > 0 then redis.call('HDEL', K_UNIQ, unpack(gone)) end
end

local known = known_ids(ids)
local last
if not pre then last = redis.call('INCRBY', K_SEQ, ARGV[A0 + 1]) end
local out = {}
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
  local u = unique_of(pre and ARGV[a + 2] or ARGV[a + 1])
  local new = nil
  local score, job
  if pre then
    score, job = ARGV[a + 1], ARGV[a + 2]
  else
    score = fmt(base + i)
    job = score .. '\n' .. task .. '\n' .. ARGV[a + 1]
  end
  if not (u and unique_held(u, id)) then new = admit(known, i, id, task, job) end
  if new == nil then
    out[i] = 0
  else
    if u and new then
      uniq_taken[u.key] = id
      redis.call('HSET', K_UNIQ, u.key, id .. '|' .. u.mode .. '|' .. fmt(NOW + u.win))
    end
    if new then
      jobs[nj + 1] = id
      jobs[nj + 2] = new == true and job or new -- a chord member revoked before it came: marked, ready
      nj = nj + 2
      if due and new == true then
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
if next(uniq_taken) then trim_uniques() end
multi('HSET', K_JOB, jobs)
multi('ZADD', K_READY, ready)
multi('ZADD', K_DELAYED, delayed)
if nr > 0 then wake_ready() end
if earliest then wake_at(earliest) end
flush_published()
return out
