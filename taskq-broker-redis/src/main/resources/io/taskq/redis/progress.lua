-- progress: ARGV[A0+1] = id, [A0+2] = token, [A0+3] = the progress as JSON text (kept as a string in the record).
-- Only the current claim (token) with an unexpired lease stores it, in the task's record, which the finish replaces.
-- A report may arrive before the batched start mark (started.lua): it says that the task started, so it marks it.
-- Returns 1 if stored, 0 if the claim is stale or the record is neither RECEIVED nor STARTED.
local id, token, progress = ARGV[A0 + 1], ARGV[A0 + 2], ARGV[A0 + 3]
local o = owned({ id }, { token })[1]
if o == nil or o.lease <= NOW then return 0 end
local ok, r = pcall(cjson.decode, redis.call('HGET', K_RES, id) or 'null')
if not ok or type(r) ~= 'table' or (r.state ~= 'STARTED' and r.state ~= 'RECEIVED') then return 0 end
r.state = 'STARTED'
r.progress = progress
r.updatedAt = NOW_ISO
local encoded
ok, encoded = pcall(cjson.encode, r)
if not ok then return 0 end
if o.s == 0 then redis.call('HSET', K_ATT, id, att_text(o.a, o.t, o.l, o.h, 1)) end
redis.call('HSET', K_RES, id, encoded)
return 1
