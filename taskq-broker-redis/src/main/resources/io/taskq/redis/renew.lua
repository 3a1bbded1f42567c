-- renew: ARGV[A0+1] = n, [A0+2] = leaseMs, then per claim: id, token.
-- Reaps first (so recovery happens even when every worker slot is busy and nobody claims), then extends the
-- leases still held. Returns {lostIds, revokedIds}.
local n, lease = tonumber(ARGV[A0 + 1]), tonumber(ARGV[A0 + 2])
local ids, tokens = {}, {}
for i = 1, n do
  ids[i] = ARGV[A0 + 3 + (i - 1) * 2]
  tokens[i] = ARGV[A0 + 4 + (i - 1) * 2]
end
reap()
local own = owned(ids, tokens)
local revs = {}
if redis.call('HLEN', K_REV) > 0 then revs = hmget(K_REV, ids) end
local lost, revoked, ext = {}, {}, {}
local deadline = fmt(NOW + lease)
for i, id in ipairs(ids) do
  local o = own[i]
  if o == nil or o.lease <= NOW then
    lost[#lost + 1] = id
  else
    ext[#ext + 1] = deadline
    ext[#ext + 1] = id
    if revs[i] then revoked[#revoked + 1] = id end
  end
end
multi('ZADD', K_ACTIVE, ext, 'XX')
flush_published()
trim_dead()
return { lost, revoked }
