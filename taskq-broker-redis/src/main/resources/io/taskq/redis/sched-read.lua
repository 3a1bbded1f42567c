-- Schedule store: a consistent read of entries and their versions (two hashes, read in one atomic step).
-- KEYS[1] {p}:sched:entries, KEYS[2] {p}:sched:versions
-- ARGV[1] "all", or "one" with ARGV[2] the entry name
-- Returns a flat list name, json, version, name, json, version, ... (an entry without a version is left out).
local out = {}
if ARGV[1] == 'one' then
  local json = redis.call('HGET', KEYS[1], ARGV[2])
  local version = redis.call('HGET', KEYS[2], ARGV[2])
  if json and version then
    out[1] = ARGV[2]; out[2] = json; out[3] = version
  end
  return out
end
local all = redis.call('HGETALL', KEYS[1])
local n = 0
for i = 1, #all, 2 do
  local version = redis.call('HGET', KEYS[2], all[i])
  if version then
    out[n + 1] = all[i]; out[n + 2] = all[i + 1]; out[n + 3] = version
    n = n + 3
  end
end
return out
