-- wrk script for make bench: POST /v1.0/invitations, a fresh guest each time
-- (each wrk run its own prefix, so no address repeats).
math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1e6))
local run = math.random(1, 1e9)
local n = 0
request = function()
	n = n + 1
	local body = string.format('{"invitedUserEmailAddress":"bench%d-%d@fabrikam.com",'
		.. '"inviteRedirectUrl":"https://app.example","sendInvitationMessage":false}',
		run, n)
	return wrk.format("POST", "/v1.0/invitations", {["Content-Type"] = "application/json"}, body)
end
