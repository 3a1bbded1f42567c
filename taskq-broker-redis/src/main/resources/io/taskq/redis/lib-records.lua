-- lib-records.lua, part 3 of 9 of the queue scripts' prelude, joined in the order of ScriptLoader.PRELUDE_PARTS: task
-- records: building, decoding, final records (stored, announced, trimmed).
-- The TaskRecord JSON (fields as io.taskq.spi.TaskRecord), written by concatenation: claims write one per task,
-- and cjson.encode of a whole table (with its float formatting of the two counters) cost several times more.
-- lineage: the JSON text of the record's rootId and parentId fields (msg_lineage), or nil for none.
local function make_record(id, task, state, err, retries, attempt, worker, reason, lineage)
  return '{"id":' .. json_str(id) .. ',"queue":' .. name_json(QUEUE) .. ',"task":' .. name_json(task)
    .. ',"state":"' .. state .. '","result":null,"error":' .. (err and cjson.encode(err) or 'null')
    .. ',"retries":' .. int_text(retries or 0) .. ',"attempt":' .. int_text(attempt or 0) .. ',"worker":'
    .. name_json(worker) .. ',"updatedAt":' .. name_json(NOW_ISO) .. ',"reason":' .. json_str(reason)
    .. (lineage or '') .. '}'
end

-- A message header's string value, found without decoding the message: the first occurrence of the name (taskq
-- writes the headers before the body, and a name inside a string value is escaped), anchored there; a value that
-- is null, empty or holds escapes counts as none. Same rule as io.taskq.internal.Lineage.
local function header_text(msg, name)
  local at = string.find(msg, name, 1, true)
  if not at then return nil end
  return string.match(msg, '^%s*:%s*"([^"\\]+)"', at + #name)
end

-- The record fields rootId and parentId (as make_record appends them) of the task whose message (or job field) is
-- msg: rootId only when it is not the task's own id (absent means "its own root"), each only when known.
local function msg_lineage(id, msg)
  if not msg then return nil end
  local root, parent = header_text(msg, '"root_id"'), header_text(msg, '"parent_id"')
  local s = ''
  if root and root ~= id then s = ',"rootId":' .. json_str(root) end
  if parent then s = s .. ',"parentId":' .. json_str(parent) end
  return s
end

-- A stored record (io.taskq.spi.TaskRecord as JSON), or nil if there is none or it is not one: only the record's
-- fields, each of its type (counts as non-negative integers), so that whatever a script reads from it, and its
-- re-encoding, cannot fail. A damaged record counts as none (the next write replaces it).
local REC_TEXT = { id = true, queue = true, task = true, state = true, result = true, worker = true,
  updatedAt = true, reason = true, rootId = true, parentId = true }
local ERR_TEXT = { type = true, message = true, stackTrace = true }
local function count_ok(x)
  return type(x) == 'number' and x >= 0 and x <= 2147483647 and x == math.floor(x)
end
local function decode(json)
  if not json then return nil end
  local ok, v = pcall(cjson.decode, json)
  if not ok or type(v) ~= 'table' then return nil end
  for k, x in pairs(v) do
    if REC_TEXT[k] then
      if type(x) ~= 'string' and x ~= cjson.null then return nil end
    elseif k == 'retries' or k == 'attempt' then
      if not count_ok(x) then return nil end
    elseif k == 'error' then
      if x ~= cjson.null then
        if type(x) ~= 'table' or type(x.type) ~= 'string' then return nil end
        for ek, ex in pairs(x) do
          if not ERR_TEXT[ek] or (type(ex) ~= 'string' and ex ~= cjson.null) then return nil end
        end
      end
    else
      return nil
    end
  end
  return v
end

local function field(t, name)
  if t == nil then return nil end
  local v = t[name]
  if v == cjson.null then return nil end
  return v
end

-- flat {a, b, c, d} arguments (score/member or field/value pairs) for multi(); defined with the record writes below.
-- Final records: kept until NOW + RESULT_TTL (index ZSET resx), announced on the channel so that
-- awaitFinal wakes without polling. Notifications are collected and published once per script call.
-- The record writes are batched too (one HSET and one ZADD per script call): every script that stores a final
-- record calls flush_published() before it returns, and no script reads a record it stored in the same call.
local published, finalSet, finalExp
local function store_final(id, json)
  finalSet[#finalSet + 1] = id
  finalSet[#finalSet + 1] = json
  finalExp[#finalExp + 1] = id
  published[#published + 1] = json
end

local function multi(cmd, key, pairs_list, prefix)
  if #pairs_list == 0 then return end
  for i = 1, #pairs_list, CHUNK do
    local last = math.min(i + CHUNK - 1, #pairs_list)
    if prefix then
      redis.call(cmd, key, prefix, unpack(pairs_list, i, last))
    else
      redis.call(cmd, key, unpack(pairs_list, i, last))
    end
  end
end

-- A non-final record (RECEIVED at claim) written with the final ones: one HSET res per call. Only for ids whose
-- record nothing later in the same call reads or writes (claims are the last step of their scripts).
local function store_later(id, json)
  finalSet[#finalSet + 1] = id
  finalSet[#finalSet + 1] = json
end

local function flush_published()
  if #finalSet > 0 and #published == 0 then
    multi('HSET', K_RES, finalSet)
    finalSet = {}
  end
  if #published > 0 then
    multi('HSET', K_RES, finalSet)
    local exp, zs = fmt(NOW + RESULT_TTL), {}
    for i, id in ipairs(finalExp) do
      zs[2 * i - 1] = exp
      zs[2 * i] = id
    end
    multi('ZADD', K_RESX, zs)
    redis.call('PUBLISH', CHANNEL, table.concat(published, '\n'))
    published, finalSet, finalExp = {}, {}, {}
  end
end

local function drop_record(id)
  redis.call('HDEL', K_RES, id)
  redis.call('ZREM', K_RESX, id)
end

-- Expired records go a bounded number at a time, piggy-backing on regular traffic: in every finish call that
-- settles 8 or more tasks, and in about one in eight of the others (picked by the call's time and its first task
-- id, so that neither a frozen test clock nor sequential ids stop it), since the read that looks for them is most
-- of what a lone task's finish would spend on them. Up to 100 per call is still more than the calls bring in.
local trim_due
local function trim_results()
  local old = redis.call('ZRANGEBYSCORE', K_RESX, '-inf', NOW_S, 'LIMIT', '0', TRIM_LIMIT_S)
  if #old > 0 then
    redis.call('HDEL', K_RES, unpack(old))
    redis.call('ZREM', K_RESX, unpack(old))
  end
end

