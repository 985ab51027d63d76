-- wrk: append a feedback event to a random one of the seeded tickets.
local n = tonumber(os.getenv("TICKETS") or "1000")
local token = os.getenv("TOKEN")
math.randomseed(os.time())
request = function()
  local id = string.format("B-%05d", math.random(0, n - 1))
  return wrk.format("POST", "/api/v1/tickets/" .. id .. "/events",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" },
    '{"events":[{"type":"feedback"}]}')
end
