-- finish-claim: a worker's batched report and the refill of the slots it frees, in one call.
-- ARGV after the common ones: the arguments of started (n, atIso, id, token ...), then those of finish (n, then 7
-- per outcome), then consumer, max (0 = claim nothing), leaseMs, startNow, fence ('' = none; see do_claim).
-- Starts first, then outcomes, then the claim.
-- Returns {finishResults, claimResult} as the finish and claim scripts return them.
local _, b = do_started(A0 + 1)
local accepted, c = do_finish(b)
local consumer, max, lease, startNow = ARGV[c], tonumber(ARGV[c + 1]), tonumber(ARGV[c + 2]), tonumber(ARGV[c + 3])
local claimed = { 0, -1 }
if max > 0 then
  claimed = do_claim(consumer, max, lease, false, startNow, tonumber(ARGV[c + 4]))
  -- A claim that cannot run leaves the outcomes standing: the fetch loop's own claim reports the failure.
  if claimed.err then claimed = { 0, -1 } end
end
flush_published()
trim_dead()
if trim_due then trim_results() end
return { accepted, claimed }
