-- finish: ARGV[A0+1] = n, then per outcome: id, token, kind (D/R/X), record JSON ('' = store none), retryAtMs,
-- newBody, reason. See do_finish in lib.lua. Returns per outcome 1 (accepted) or 0 (stale).
local out = do_finish(A0 + 1)
flush_published()
trim_dead()
if trim_due then trim_results() end
return out
