-- wrk script for make bench: POST /v1.0/groups/{g}/members/$ref, each time a
-- (group, user) pair not joined yet, from the file $BENCH_PAIRS ("group user"
-- per line, made by bench/run.sh).
local pairs_ = {}
local n = 0
for line in io.lines(os.getenv("BENCH_PAIRS")) do
	local g, u = line:match("(%S+) (%S+)")
	pairs_[#pairs_ + 1] = {g, u}
end
request = function()
	n = n % #pairs_ + 1
	local p = pairs_[n]
	local body = '{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/' .. p[2] .. '"}'
	return wrk.format("POST", "/v1.0/groups/" .. p[1] .. "/members/$ref",
		{["Content-Type"] = "application/json"}, body)
end
