-- finish-claim: a worker's batched report and the refill of the slots it frees, in one call; also how tasks finish
-- without a refill (max 0).
-- ARGV after the common ones: the arguments of started (n, atIso, id, token ...), then those of finish (n, then 7
-- per outcome), then the follow-ups (f, then 8 per follow-up: see parse_follow_ups), then consumer, max (0 = claim
-- nothing), leaseMs, startNow, fence ('' = none; see do_claim). KEYS: this queue's 13 keys, then 13 per other
-- queue a follow-up goes to.
-- The follow-ups are checked first (an error then, with nothing written), then starts, outcomes, the follow-ups of
-- the accepted outcomes, and the claim.
-- Returns {finishResults, claimResult} as the finish and claim steps return them.
local follow, c = parse_follow_ups(A0 + 3 + 2 * (tonumber(ARGV[A0 + 1]) or 0))
if not follow then return redis.error_reply(c) end
local _, b = do_started(A0 + 1)
local accepted = do_finish(b)
enqueue_follow_ups(follow, accepted)
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
