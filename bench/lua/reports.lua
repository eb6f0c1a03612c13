-- GET /api/v1/reports/{metric}: every metric, each grouping the desk offers (periods, the
-- dimensions, tags and organizations), some with a tag filter, over ranges of 7, 30, 90 and 365
-- days ending today (FROM_7 … FROM_365 and TO from bench/reports.sh); hour rows over 7 days only
-- (at most 31 days by hour); one request in eight the backlog by age or a dimension.
local metrics = {"tickets_created", "tickets_solved", "tickets_reopened", "first_response_time",
  "resolution_time", "agent_replies", "csat", "csat_response_rate", "sla_compliance",
  "sla_first_response_compliance", "sla_next_response_compliance", "sla_resolution_compliance"}
local groups = {"", "day", "week", "month", "department", "agent", "priority", "type", "channel",
  "tag", "organization"}
local ranges = {"7", "30", "90", "365"}
local tags = {"vip", "printer", "vpn", "billing"}
local to = os.getenv("TO")
request = function()
  local path
  if math.random(1, 8) == 1 then
    path = "/api/v1/reports/backlog?group_by=" ..
      ({"age", "department", "agent", "priority", "tag"})[math.random(1, 5)]
  else
    local range = ranges[math.random(1, #ranges)]
    local group = groups[math.random(1, #groups)]
    if math.random(1, 12) == 1 then
      group, range = "hour", "7"
    end
    path = "/api/v1/reports/" .. metrics[math.random(1, #metrics)] .. "?tz=Asia/Shanghai&from=" ..
      os.getenv("FROM_" .. range) .. "&to=" .. to .. "&group_by=" .. group
    if math.random(1, 6) == 1 and (group == "" or group == "day" or group == "department") then
      path = path .. "&tag=" .. tags[math.random(1, #tags)]
    end
  end
  return wrk.format("GET", path)
end
