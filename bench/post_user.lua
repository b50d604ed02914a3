-- wrk script for make bench: POST /v1.0/users with a fresh UPN per request.
local n = 0
request = function()
	n = n + 1
	local body = string.format('{"accountEnabled":true,"displayName":"Load %d","mailNickname":"load%d",'
		.. '"userPrincipalName":"load%d-%d@contoso.onmicrosoft.com",'
		.. '"passwordProfile":{"password":"Load-pass-%d!"}}', n, n, n, math.random(1, 1e9), n)
	return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
