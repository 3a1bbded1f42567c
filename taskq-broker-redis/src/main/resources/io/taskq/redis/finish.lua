-- finish: ARGV[A0+1] = n, then per outcome: id, token, kind (D = done, R = retry, X = dead), record JSON ('' =
-- store none), retryAtMs, newBody, reason. Fenced: only the current claim with an unexpired lease is accepted.
-- Returns per outcome 1 (accepted) or 0 (stale).
local n = tonumber(ARGV[A0 + 1])
local W = 7
local ids, tokens = {}, {}
for i = 1, n do
  ids[i] = ARGV[A0 + 2 + (i - 1) * W]
  tokens[i] = ARGV[A0 + 3 + (i - 1) * W]
end
local own = owned(ids, tokens)
local needJob = {}
for i = 1, n do
  local kind = ARGV[A0 + 4 + (i - 1) * W]
  if own[i] and kind ~= 'D' then needJob[#needJob + 1] = ids[i] end
end
local jobVals = {}
if #needJob > 0 then
  local vals = hmget(K_JOB, needJob)
  for i, id in ipairs(needJob) do jobVals[id] = vals[i] end
end
local hasRev = redis.call('HLEN', K_REV) > 0
local out = {}
local gone, doneIds = {}, {}
local seen = {}
for i = 1, n do
  local b = A0 + 2 + (i - 1) * W
  local id, kind, rec = ids[i], ARGV[b + 2], ARGV[b + 3]
  local o = own[i]
  if o == nil or o.lease <= NOW or seen[id] then
    out[i] = 0
  else
    seen[id] = true
    gone[#gone + 1] = id
    if kind == 'D' then
      doneIds[#doneIds + 1] = id
      if rec ~= '' then store_final(id, rec) else drop_record(id) end
    elseif kind == 'R' then
      local score, task = split_job(jobVals[id])
      redis.call('HSET', K_JOB, id, score .. '\n' .. task .. '\n' .. ARGV[b + 5])
      redis.call('ZADD', K_DELAYED, ARGV[b + 4], id)
      wake_at(tonumber(ARGV[b + 4]))
      redis.call('HSET', K_RES, id, rec)
    else
      local score, task, body = split_job(jobVals[id])
      add_dead(id, task, ARGV[b + 6], o.a, priority_of(score), body)
      doneIds[#doneIds + 1] = id
      store_final(id, rec)
    end
    out[i] = 1
  end
end
chunked('ZREM', K_ACTIVE, gone)
if #doneIds > 0 then
  chunked('HDEL', K_JOB, doneIds)
  chunked('HDEL', K_ATT, doneIds)
  if hasRev then chunked('HDEL', K_REV, doneIds) end
end
flush_published()
trim_dead()
trim_results()
return out
