-- lib-format.lua, part 2 of 9 of the queue scripts' prelude, joined in the order of ScriptLoader.PRELUDE_PARTS:
-- chunked commands, the attempts and job fields, integer and JSON text.
-- Integers (scores, ms times, tokens) as exact decimal text: '%d' formats a C long (exact below 2^53, like every
-- number here) and is several times cheaper than '%.0f', which goes through floating-point digit generation.
local function fmt(n)
  return string.format('%d', n)
end

local function chunked(cmd, key, list)
  local out = {}
  for i = 1, #list, CHUNK do
    local part = redis.call(cmd, key, unpack(list, i, math.min(i + CHUNK - 1, #list)))
    if type(part) == 'table' then
      for _, v in ipairs(part) do out[#out + 1] = v end
    end
  end
  return out
end

local function hmget(key, ids)
  if #ids == 0 then return {} end
  return chunked('HMGET', key, ids)
end

local function zmscore(key, ids)
  if #ids == 0 then return {} end
  return chunked('ZMSCORE', key, ids)
end


-- The attempts field: "attempts:token:lostLeases:heldLosses:started"; nil for a malformed one (see check_jobs).
-- lostLeases counts leases that expired while the task had started (they count against it: poison tasks);
-- heldLosses those that expired before it started (a worker died with it held or just claimed: another task's
-- fault), with a bound of their own (held_loss_limit). started is 1 once the claim that holds the token marked it
-- started (at claim for a task going straight to a free slot, or by the started script). A field of the older form
-- "attempts:token:lostLeases" reads as started.
local function parse_att(v)
  if not v then return 0, '0', 0, 0, 0 end
  local a, t, l, h, s = string.match(v, '^(%d+):(%d+):(%d+):(%d+):([01])$')
  if not a then
    a, t, l = string.match(v, '^(%d+):(%d+):(%d+)$')
    h, s = '0', '1'
  end
  a, l, h = tonumber(a), tonumber(l), tonumber(h)
  if not a or a > 1e9 or l > 1e9 or h > 1e9 or #t > 16 then return nil end
  return a, t, l, h, tonumber(s)
end

local function att_text(a, t, l, h, s)
  return a .. ':' .. t .. ':' .. l .. ':' .. h .. ':' .. s
end

-- Losses of a task that never started are bounded too (a task whose workers always die before starting it, for
-- whatever reason, must not circle for ever), but higher: they are other tasks' doing.
local function held_loss_limit()
  return math.max(10, 3 * MAX_REDELIVERIES)
end

-- The job field: "<readyScore>\n<task>\n<body>" (the body is opaque to Redis). The score is 1 to 16 digits and the
-- task name holds no control characters (every writer checks it: the Java client, enqueue, resubmit), so the first
-- two line breaks are the frame's, whatever the body holds. Returns the positions of those two line breaks, or nil
-- for a field without that header.
local function job_header(v)
  local _, i = string.find(v, '^%d+\n')
  if not i or i > 17 then return nil end
  local j = string.find(v, '\n', i + 1, true)
  if not j then return nil end
  return i, j
end

-- A field written by hand without the header is taken as a bare body, so that it reaches a worker and gets
-- dead-lettered with a reason instead of breaking every claim. A missing field (nil) gives no body.
local function split_job(v, fallbackScore)
  local i, j
  if v then i, j = job_header(v) end
  if not i then
    return fallbackScore or fmt(5 * BAND), '?', v
  end
  return string.sub(v, 1, i - 1), string.sub(v, i + 1, j - 1), string.sub(v, j + 1)
end

-- Only the task name of a job field (the claim needs no copy of the body); nil for a field without the header.
local function job_task(v)
  local i, j = job_header(v)
  if not i then return nil end
  return string.sub(v, i + 1, j - 1)
end

local function priority_of(score)
  return math.max(0, 9 - math.floor(tonumber(score) / BAND))
end

local function nz(v)
  if v == nil then return cjson.null end
  return v
end

-- Small integers as text, cached per call (attempt and retry counts are almost always 0..9): formatting a Lua
-- number costs more than the rest of writing a record.
local INT_TEXT
local function int_text(n)
  local v = INT_TEXT[n]
  if not v then
    v = string.format('%d', n)
    INT_TEXT[n] = v
  end
  return v
end

-- A JSON string literal (or null); task names repeat, so their literals are cached per call.
local NAME_JSON
local function json_str(s)
  if s == nil then return 'null' end
  return cjson.encode(s)
end
local function name_json(s)
  if s == nil then return 'null' end
  local v = NAME_JSON[s]
  if not v then
    v = cjson.encode(s)
    NAME_JSON[s] = v
  end
  return v
end

