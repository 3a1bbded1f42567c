-- lib-state.lua, part 1 of 9 of the queue scripts' prelude, joined in the order of ScriptLoader.PRELUDE_PARTS: what
-- every call sets (keys, common arguments), the time format, limits.
-- Shared prelude of every queue script. The Java side runs the scripts either as one Redis Functions library (Redis
-- 7+: loaded once, so these definitions are made once) or, where that is not available, as one EVAL script each
-- (this prelude, then begin(), then the script's body; every call makes the definitions anew).
-- Every key is declared in KEYS (Redis Cluster, strict proxies): the per-queue keys below, always in this order.
-- Everything a call sets is declared here and set by begin() at the start of every call, so that nothing of one
-- call is seen by the next when the definitions outlive a call (functions).
local K_JOB, K_ATT, K_READY, K_DELAYED, K_ACTIVE
local K_RES, K_RESX, K_REV, K_DEAD, K_DINFO
local K_SEQ, K_MARKER, K_REVX

-- Common ARGV: time comes from the caller's clock so that tests can drive it.
local NOW, NOW_ISO, QUEUE, RESULT_TTL, MAX_REDELIVERIES, DEAD_MAX_COUNT, DEAD_MAX_AGE, CHANNEL
-- MAX_BYTES: the longest job field ("<score>\n<task>\n<body>") a queue takes or hands out (see check_jobs).
local MAX_BYTES
-- Arguments to redis.call go as strings where we have them: Redis 7.0 turns a Lua number into text with '%.17g'.
local NOW_S
local A0 = 9 -- script-specific ARGV start after this index

-- Epoch milliseconds as Java's Instant.toString() prints them at millisecond precision (days to civil date after
-- H. Hinnant's algorithm): 2026-11-21T22:09:15.657Z, or 2026-11-21T22:09:15Z on a whole second.
local function iso_ms(ms)
  local s = math.floor(ms / 1000)
  local frac = ms - s * 1000
  local days = math.floor(s / 86400)
  local sod = s - days * 86400
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  local out = string.format('%04d-%02d-%02dT%02d:%02d:%02d', y, m, d, math.floor(sod / 3600),
    math.floor(sod % 3600 / 60), sod % 60)
  if frac ~= 0 then out = out .. string.format('.%03d', frac) end
  return out .. 'Z'
end

-- ready score = (9 - priority) * 2^49 + sequence: exact in a double (< 2^53), priority 9 first, FIFO inside.
local BAND = 562949953421312
local CHUNK = 1000 -- unpack() has a stack limit; every multi-argument command goes in chunks
local REAP_LIMIT = 100
local PROMOTE_LIMIT = 1000
local TRIM_LIMIT = 100
local REAP_LIMIT_S, PROMOTE_LIMIT_S, TRIM_LIMIT_S = '100', '1000', '100'

