-- GET /api/v1/reports/{metric}: every metric, each grouping the desk offers, over ranges of 7,
-- 30, 90 and 365 days ending today (FROM_7 … FROM_365 and TO from bench/reports.sh).
local metrics = {"tickets_created", "tickets_solved", "tickets_reopened", "first_response_time",
  "resolution_time", "agent_replies"}
local groups = {"", "day", "week", "department", "agent", "priority", "type", "channel"}
local ranges = {"7", "30", "90", "365"}
local to = os.getenv("TO")
request = function()
  local path
  if math.random(1, 8) == 1 then
    path = "/api/v1/reports/backlog?group_by=" ..
      ({"age", "department", "agent", "priority"})[math.random(1, 4)]
  else
    local range = ranges[math.random(1, #ranges)]
    path = "/api/v1/reports/" .. metrics[math.random(1, #metrics)] .. "?tz=Asia/Shanghai&from=" ..
      os.getenv("FROM_" .. range) .. "&to=" .. to .. "&group_by=" ..
      groups[math.random(1, #groups)]
  end
  return wrk.format("GET", path)
end
