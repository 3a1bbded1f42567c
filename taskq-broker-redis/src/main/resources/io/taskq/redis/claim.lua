-- claim: ARGV[A0+1] = consumer, [A0+2] = max, [A0+3] = leaseMs, [A0+4] = startNow (how many of the claimed tasks
-- go straight to a free slot, see do_claim in lib.lua), [A0+5] = fence: '' or, for a claim sent ahead behind a
-- marker wait, the time (ms) by which its sender still reads the reply.
-- Returns {count, nextWakeMs, id1, attempt1, token1, job1, ...}; nextWakeMs is -2 if max tasks were claimed (more
-- may be ready), else the earliest delayed due time or lease deadline (-1 if none): ready ran dry, and an idle
-- worker sleeps on the marker at most that long. A claim that runs after its fence claims nothing and returns
-- {0, -3}: its sender has given up on the connection (a stalled network delivered it late, or the worker closed),
-- so whatever it claimed would wait a whole lease before running elsewhere.
local fence = tonumber(ARGV[A0 + 5])
if fence and NOW > fence then return { 0, -3 } end
local out = do_claim(ARGV[A0 + 1], tonumber(ARGV[A0 + 2]), tonumber(ARGV[A0 + 3]), true, tonumber(ARGV[A0 + 4]))
flush_published()
trim_dead()
return out
