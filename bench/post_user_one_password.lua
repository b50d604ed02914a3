-- wrk script for make bench: POST /v1.0/users as post_user.lua does, but every
-- user with one password, as a suite copying Microsoft's example does: the
-- stretch of the password is paid once (state/util/password.c).
math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1e6))
local run = math.random(1, 1e9)
local n = 0
request = function()
	n = n + 1
	local body = string.format('{"accountEnabled":true,"displayName":"Load %d","mailNickname":"load%d",'
		.. '"userPrincipalName":"one%d-%d@contoso.onmicrosoft.com",'
		.. '"passwordProfile":{"password":"xWwvJ]6NMw+bWH-d"}}', n, n, run, n)
	return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
