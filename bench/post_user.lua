-- wrk script for make bench: POST /v1.0/users with a fresh UPN per request.
-- Each wrk run (the warm-up, the run) gets its own prefix, so no UPN repeats.
math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1e6))
local run = math.random(1, 1e9)
local n = 0
request = function()
	n = n + 1
	local body = string.format('{"accountEnabled":true,"displayName":"Load %d","mailNickname":"load%d",'
		.. '"userPrincipalName":"load%d-%d@contoso.onmicrosoft.com",'
		.. '"passwordProfile":{"password":"Load-pass-%d!"}}', n, n, run, n, n)
	return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
