-- lib-begin.lua, part 9 of 9 of the queue scripts' prelude, joined in the order of ScriptLoader.PRELUDE_PARTS:
-- begin(): sets what a call reads and empties what it collects.
-- Sets everything a call reads from KEYS and ARGV, and empties what a call collects. Runs first in every call.
local function begin()
  use_keys(0)
  NOW, NOW_ISO, QUEUE = tonumber(ARGV[1]), ARGV[2], ARGV[3]
  RESULT_TTL, MAX_REDELIVERIES = tonumber(ARGV[4]), tonumber(ARGV[5])
  DEAD_MAX_COUNT, DEAD_MAX_AGE, CHANNEL = tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8]
  MAX_BYTES = tonumber(ARGV[9])
  NOW_S = ARGV[1]
  -- A claim sent ahead (queued behind a worker's blocking wait) runs up to the wait's length after it was sent, so
  -- it comes without a time of its own (NOW_ISO empty) and takes the later of Redis's clock and the sender's.
  if NOW_ISO == '' then
    local ms = redis_ms()
    if ms > NOW then NOW = ms end
    NOW_S = string.format('%d', NOW)
    NOW_ISO = iso_ms(NOW)
  end
  INT_TEXT, NAME_JSON = {}, {}
  published, finalSet, finalExp = {}, {}, {}
  trim_due, dead_added = false, false
  firstLease, firstDue = nil, nil
end
