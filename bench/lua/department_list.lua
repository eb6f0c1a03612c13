-- A department's open tickets, 50 per page, newest update first: the agent's inbox.
local departments = tonumber(os.getenv("DEPARTMENTS") or "20")
request = function()
  return wrk.format("GET", "/api/v1/tickets?department=" .. math.random(1, departments) ..
                    "&status_category=new,open&sort=-updated_at&limit=50")
end
