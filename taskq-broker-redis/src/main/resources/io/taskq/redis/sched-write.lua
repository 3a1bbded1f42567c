-- Schedule store: create or replace one entry, compare-and-set on its version; optionally a change.
-- KEYS[1] {p}:sched:entries   HASH name -> entry JSON
-- KEYS[2] {p}:sched:versions  HASH name -> version
-- KEYS[3] {p}:sched:seq       STRING, the version sequence (INCR only, never reset, so versions are never reused)
-- KEYS[4] {p}:sched:changes   STRING, the change counter
-- KEYS[5] {p}:sched:audit     LIST of audit record JSON, newest first, capped
-- ARGV[1] entry name
-- ARGV[2] entry JSON (stored verbatim)
-- ARGV[3] expected version, decimal; "0" = the entry must not exist
-- ARGV[4] audit record JSON, or "" for a run-state write (no audit, no change, no notification)
-- ARGV[5] audit cap (records kept)
-- ARGV[6] notification channel
-- Returns {new version, change count}; {0, 0} if the current version differs (nothing written).
local current = redis.call('HGET', KEYS[2], ARGV[1])
if (current or '0') ~= ARGV[3] then
  return {0, 0}
end
local version = redis.call('INCR', KEYS[3])
-- Defence against a sequence lost or reset by hand: a version must move forward.
if current and version <= tonumber(current) then
  version = tonumber(current) + 1
  redis.call('SET', KEYS[3], string.format('%d', version))
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], string.format('%d', version))
local changes = 0
if ARGV[4] ~= '' then
  redis.call('LPUSH', KEYS[5], ARGV[4])
  redis.call('LTRIM', KEYS[5], 0, tonumber(ARGV[5]) - 1)
  changes = redis.call('INCR', KEYS[4])
  redis.call('PUBLISH', ARGV[6], changes)
end
return {version, changes}
