-- wrk script for make bench: POST /v1.0/users with a fresh UPN per request.
-- Each wrk run (the warm-up, the run) gets its own prefix, so no UPN repeats.
-- Each user has its own password; with the script argument "one-password"
-- (wrk ... URL -- one-password) every user has the one of Microsoft's example,
-- as a suite copying it does: its stretch is paid once (state/util/password.c).
math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1e6))
local run = math.random(1, 1e9)
local n = 0
local one_password = false
init = function(args)
	one_password = args[1] == "one-password"
end
request = function()
	n = n + 1
	local password = one_password and "xWwvJ]6NMw+bWH-d" or string.format("Load-pass-%d!", n)
	local body = string.format('{"accountEnabled":true,"displayName":"Load %d","mailNickname":"load%d",'
		.. '"userPrincipalName":"load%d-%d@contoso.onmicrosoft.com",'
		.. '"passwordProfile":{"password":"%s"}}', n, n, run, n, password)
	return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
