-- markStarted: ARGV[A0+1] = n, [A0+2] = atIso, then per claim: id, token. Stale claims change nothing.
local n = tonumber(ARGV[A0 + 1])
local atIso = ARGV[A0 + 2]
local ids, tokens = {}, {}
for i = 1, n do
  ids[i] = ARGV[A0 + 3 + (i - 1) * 2]
  tokens[i] = ARGV[A0 + 4 + (i - 1) * 2]
end
local own = owned(ids, tokens)
local mine = {}
for i = 1, n do if own[i] then mine[#mine + 1] = ids[i] end end
if #mine == 0 then return 0 end
local recs = hmget(K_RES, mine)
local set = {}
for i, id in ipairs(mine) do
  local r = decode(recs[i]) or { id = id, queue = QUEUE, task = cjson.null, result = cjson.null, error = cjson.null,
    retries = 0, attempt = 0, worker = cjson.null }
  r.state = 'STARTED'
  r.updatedAt = atIso
  r.reason = cjson.null
  set[#set + 1] = id
  set[#set + 1] = cjson.encode(r)
end
multi('HSET', K_RES, set)
return #mine
