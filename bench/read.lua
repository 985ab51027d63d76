-- wrk: read a random one of the seeded tickets (history and obligations evaluated now).
local n = tonumber(os.getenv("TICKETS") or "1000")
local token = os.getenv("TOKEN")
math.randomseed(os.time())
request = function()
  local id = string.format("B-%05d", math.random(0, n - 1))
  return wrk.format("GET", "/api/v1/tickets/" .. id, { ["Authorization"] = "Bearer " .. token })
end
