-- GET /api/v1/tickets/{n} for random existing n. TICKETS comes from the environment.
local tickets = tonumber(os.getenv("TICKETS") or "1000")
request = function()
  return wrk.format("GET", "/api/v1/tickets/" .. math.random(1, tickets))
end
