-- lib-dead.lua, part 4 of 9 of the queue scripts' prelude, joined in the order of ScriptLoader.PRELUDE_PARTS: dead
-- letters, and the checks of job fields that dead-letter malformed ones.
local dead_added
-- size: the length of the whole body when body holds only its beginning (a message too large to keep).
local function add_dead(id, task, reason, attempt, priority, body, size)
  redis.call('ZADD', K_DEAD, NOW, id)
  redis.call('HSET', K_DINFO, id, cjson.encode({ task = nz(task), reason = reason, attempt = attempt,
    priority = priority, body = body, deadAt = NOW, size = size }))
  dead_added = true
end

-- How much of a body too large to keep its dead letter keeps: the first KEEP_BYTES bytes, cut back to the start
-- of a UTF-8 character.
local KEEP_BYTES = 1024
local function head_of(v, from)
  local n = math.min(KEEP_BYTES, #v - from + 1)
  local b = string.byte(v, from + n)
  while n > 0 and b and b >= 128 and b < 192 do
    n = n - 1
    b = string.byte(v, from + n)
  end
  return string.sub(v, from, from + n - 1)
end

-- Entries that a claim or reap must not hand out are dead-lettered here with the reason, and dropped from jobs
-- (jobs[i] = nil) so that the caller leaves them out as it leaves out ids without a job: a job field longer than
-- MAX_BYTES (enqueue refuses those, so it was written behind the scripts' back; only its beginning is copied, into
-- the dead letter, never into a reply) and a malformed attempts field. The checks use what the caller read anyway
-- (no command per task), and nothing here can fail on what it reads, so a caller that runs it before its own writes
-- for these ids cannot stop half way because of them.
-- fault (optional): a further check of a job, returning its reason and kind when the job cannot run.
local function check_jobs(ids, jobs, atts, fault)
  local bad = {}
  for i, id in ipairs(ids) do
    local job, att = jobs[i], atts[i]
    if job then
      local reason, kind
      if #job > MAX_BYTES then
        reason = 'message of ' .. #job .. ' bytes is over the broker\'s limit of ' .. MAX_BYTES .. ' bytes'
        kind = 'taskq.MessageTooLarge'
      elseif att and not parse_att(att) then
        reason = 'malformed attempts field ' .. cjson.encode(head_of(att, 1)) .. ' (not attempts:token:lostLeases[:heldLosses:started])'
        kind = 'taskq.MalformedEntry'
      elseif fault then
        reason, kind = fault(job)
      end
      if reason then
        local hi, hj = job_header(job)
        local score, task, from = fmt(5 * BAND), '?', 1
        if hi and hj - hi <= KEEP_BYTES then
          score, task, from = string.sub(job, 1, hi - 1), string.sub(job, hi + 1, hj - 1), hj + 1
        end
        local body, size = nil, nil
        if kind == 'taskq.MessageTooLarge' then
          body, size = head_of(job, from), #job - from + 1
        else
          body = string.sub(job, from)
        end
        local a = parse_att(att) or 0
        add_dead(id, task, reason, a, priority_of(score), body, size)
        store_final(id, make_record(id, task, 'FAILURE', { type = kind, message = reason, stackTrace = '' }, 0, a,
          nil, reason, msg_lineage(id, job)))
        bad[#bad + 1] = id
        jobs[i] = nil
      end
    end
  end
  if #bad > 0 then
    chunked('HDEL', K_JOB, bad)
    chunked('HDEL', K_ATT, bad)
    chunked('HDEL', K_REV, bad)
  end
end

-- Dead letters are capped by count and age; bounded work per call.
local function trim_dead()
  if not dead_added then return end
  local over = redis.call('ZCARD', K_DEAD) - DEAD_MAX_COUNT
  if over > 0 then
    local old = redis.call('ZRANGE', K_DEAD, 0, math.min(over, TRIM_LIMIT) - 1)
    redis.call('ZREM', K_DEAD, unpack(old))
    redis.call('HDEL', K_DINFO, unpack(old))
  end
  local aged = redis.call('ZRANGEBYSCORE', K_DEAD, '-inf', '(' .. fmt(NOW - DEAD_MAX_AGE), 'LIMIT', '0', TRIM_LIMIT_S)
  if #aged > 0 then
    redis.call('ZREM', K_DEAD, unpack(aged))
    redis.call('HDEL', K_DINFO, unpack(aged))
  end
end

-- Dead letters as the inspect and admin scripts return them: {id1, deadAtMs1, info1, ...}. A dead letter's info is
-- its stored JSON text, '' if there is none, or, if it is longer than any info taskq writes (8 * MAX_BYTES: a body
-- of at most MAX_BYTES, escaped), its length as a number: such an entry was written by something else, and is
-- reported (DeadLetterEntries makes it an incomplete dead letter) without being read or sent.
local function dead_entries(ids, scores)
  local lens = {}
  for i, id in ipairs(ids) do lens[i] = redis.call('HSTRLEN', K_DINFO, id) end
  local small = {}
  for i, id in ipairs(ids) do
    if lens[i] > 0 and lens[i] <= 8 * MAX_BYTES then small[#small + 1] = id end
  end
  local infos = hmget(K_DINFO, small)
  local out, j = {}, 1
  for i, id in ipairs(ids) do
    out[#out + 1] = id
    out[#out + 1] = scores[i]
    if lens[i] == 0 then
      out[#out + 1] = ''
    elseif lens[i] > 8 * MAX_BYTES then
      out[#out + 1] = lens[i]
    else
      out[#out + 1] = infos[j] or ''
      j = j + 1
    end
  end
  return out
end
