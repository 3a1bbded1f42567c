-- resubmit: ARGV[A0+1] = id, [A0+2] = newBody. Moves a dead letter back to ready (new place in line, attempts
-- reset, old record dropped). Returns 1, or 0 if there is no such dead letter. Reads only that dead letter, and
-- checks it and the new body before it writes anything: an error if its stored info is damaged or too long, if it
-- was kept without its whole body (a message too large), or if the new message is over MAX_BYTES.
local id, body = ARGV[A0 + 1], ARGV[A0 + 2]
local function refuse(what)
  return redis.error_reply('ERR dead letter ' .. tostring(id) .. ' cannot be resubmitted: ' .. what)
end
local len = redis.call('HSTRLEN', K_DINFO, id)
if len == 0 then return 0 end
if len > 8 * MAX_BYTES then return refuse('its stored info is ' .. len .. ' bytes long, more than taskq writes') end
local ok, info = pcall(cjson.decode, redis.call('HGET', K_DINFO, id))
if not ok or type(info) ~= 'table' then return refuse('its stored info is not a JSON object') end
local task, prio = field(info, 'task') or '?', field(info, 'priority') or 4
if type(task) ~= 'string' or task == '' or string.find(task, '%c') then
  return refuse('its task name is not a name')
end
if type(prio) ~= 'number' or prio < 0 or prio > 9 or prio ~= math.floor(prio) then
  return refuse('its priority is not 0..9')
end
if field(info, 'size') ~= nil then return refuse('its message was too large to keep') end
if not body or #task + #body + 18 > MAX_BYTES then
  return refuse('the new message is over the limit of ' .. MAX_BYTES .. ' bytes')
end
local seq = redis.pcall('INCR', K_SEQ)
if type(seq) == 'table' then return refuse(K_SEQ .. ' does not hold an integer') end
redis.call('ZREM', K_DEAD, id)
redis.call('HDEL', K_DINFO, id)
drop_record(id)
local score = fmt((9 - prio) * BAND + seq)
redis.call('HSET', K_JOB, id, score .. '\n' .. task .. '\n' .. body)
redis.call('HDEL', K_ATT, id)
redis.call('ZADD', K_READY, score, id)
wake_ready()
return 1
