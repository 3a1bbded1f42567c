-- Named leases (leader election); not part of a queue, so this script has its own KEYS: KEYS[1] = the lease key
-- (a HASH owner/until). ARGV: op (acquire | release | holder), nowMs, owner, ttlMs.
-- Expiry is judged by the caller's clock (until field); the PEXPIRE only reclaims memory later.
local key, op, now, owner, ttl = KEYS[1], ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local cur = redis.call('HMGET', key, 'owner', 'until')
-- An until that is not a number (written by hand) counts as expired, so the lease can be taken again.
local held = cur[1] and (tonumber(cur[2]) or 0) > now
if op == 'acquire' then
  if not held or cur[1] == owner then
    redis.call('HSET', key, 'owner', owner, 'until', string.format('%.0f', now + ttl))
    redis.call('PEXPIRE', key, ttl + 60000)
    return 1
  end
  return 0
elseif op == 'release' then
  if cur[1] == owner then redis.call('DEL', key) end
  return 0
else
  if held then return cur[1] end
  return false
end
