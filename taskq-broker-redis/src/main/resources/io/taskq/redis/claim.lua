-- claim: ARGV[A0+1] = consumer, [A0+2] = max, [A0+3] = leaseMs, [A0+4] = startNow (how many of the claimed tasks
-- go straight to a free slot), [A0+5] = fence ('' = none): the time (ms) after which the sender no longer reads
-- the reply. See do_claim in lib-claim.lua.
-- Returns {count, nextWakeMs, id1, attempt1, token1, job1, ...}; nextWakeMs is -2 if max tasks were claimed (more
-- may be ready), else the earliest delayed due time or lease deadline (-1 if none): ready ran dry, and an idle
-- worker sleeps on the marker at most that long; -3 if the claim ran past its fence (it claimed nothing).
local out = do_claim(ARGV[A0 + 1], tonumber(ARGV[A0 + 2]), tonumber(ARGV[A0 + 3]), true, tonumber(ARGV[A0 + 4]),
  tonumber(ARGV[A0 + 5]))
flush_published()
trim_dead()
return out
