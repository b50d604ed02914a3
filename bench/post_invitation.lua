-- wrk script for make bench: POST /v1.0/invitations, a fresh guest each time.
local n = 0
request = function()
	n = n + 1
	local body = string.format('{"invitedUserEmailAddress":"bench%d-%d@fabrikam.com",'
		.. '"inviteRedirectUrl":"https://app.example","sendInvitationMessage":false}',
		n, math.random(1, 1e9))
	return wrk.format("POST", "/v1.0/invitations", {["Content-Type"] = "application/json"}, body)
end
