-- claim: ARGV[A0+1] = consumer, [A0+2] = max, [A0+3] = leaseMs. See do_claim in lib.lua.
-- Returns {count, nextWakeMs, id1, attempt1, token1, job1, ...}; nextWakeMs is -2 if max tasks were claimed (more
-- may be ready), else the earliest delayed due time or lease deadline (-1 if none): ready ran dry, and an idle
-- worker sleeps on the marker at most that long.
local out = do_claim(ARGV[A0 + 1], tonumber(ARGV[A0 + 2]), tonumber(ARGV[A0 + 3]), true)
flush_published()
trim_dead()
return out
