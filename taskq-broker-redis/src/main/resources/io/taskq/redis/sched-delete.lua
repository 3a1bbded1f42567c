-- Schedule store: delete one entry, compare-and-set on its version. A delete is always a change.
-- KEYS as in sched-write.lua: entries, versions, seq (unused, passed for the uniform key list), changes, audit
-- ARGV[1] entry name
-- ARGV[2] expected version, decimal
-- ARGV[3] audit record JSON, or "" for none
-- ARGV[4] audit cap
-- ARGV[5] notification channel
-- Returns the new change count, or 0 if the entry does not exist or its version differs (nothing deleted).
local current = redis.call('HGET', KEYS[2], ARGV[1])
if not current or current ~= ARGV[2] then
  return 0
end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
if ARGV[3] ~= '' then
  redis.call('LPUSH', KEYS[5], ARGV[3])
  redis.call('LTRIM', KEYS[5], 0, tonumber(ARGV[4]) - 1)
end
local changes = redis.call('INCR', KEYS[4])
redis.call('PUBLISH', ARGV[5], changes)
return changes
