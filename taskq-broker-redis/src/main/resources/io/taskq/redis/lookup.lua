-- lookup: ARGV[A0+1..] = ids (a bounded batch). Read-only. Where each id is in this queue, five values per id:
-- place (Q ready, D delayed, R running, F only a record kept, X dead letter, '' unknown here), task name from the
-- job field ('' if none), the live record JSON ('' if none or expired), and for a dead letter without a live record
-- its dinfo JSON ('' otherwise, or if it is too long to have been written by a script), and for a dead letter the
-- time it was dead-lettered (epoch ms as text; '' otherwise).
local ids = {}
for i = A0 + 1, #ARGV do ids[#ids + 1] = ARGV[i] end
local jobs = hmget(K_JOB, ids)
local active = zmscore(K_ACTIVE, ids)
local delayed = zmscore(K_DELAYED, ids)
local resExp = zmscore(K_RESX, ids)
local recs = hmget(K_RES, ids)
local dead = {}
if redis.call('ZCARD', K_DEAD) > 0 then dead = zmscore(K_DEAD, ids) end
local out = {}
for i, id in ipairs(ids) do
  local rec = recs[i]
  if rec and resExp[i] and tonumber(resExp[i]) <= NOW then rec = false end
  local place, task, info = '', '', ''
  if jobs[i] then
    task = job_task(jobs[i]) or ''
    if active[i] then place = 'R' elseif delayed[i] then place = 'D' else place = 'Q' end
  elseif dead[i] then
    place = 'X'
    -- Read only an entry a script could have written (a longer one came from elsewhere and is not copied out).
    if not rec and redis.call('HSTRLEN', K_DINFO, id) <= 8 * MAX_BYTES then
      info = redis.call('HGET', K_DINFO, id) or ''
    end
  elseif rec then
    place = 'F'
  end
  out[#out + 1] = place
  out[#out + 1] = task
  out[#out + 1] = rec or ''
  out[#out + 1] = info
  out[#out + 1] = place == 'X' and dead[i] or ''
end
return out
