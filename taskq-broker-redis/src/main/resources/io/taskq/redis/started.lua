-- markStarted: ARGV[A0+1] = n, [A0+2] = atIso, then per claim: id, token. See do_started in lib-finish.lua.
local count = do_started(A0 + 1)
return count
