-- GET /api/v1/kb/search?match=any&limit=5: the portal's suggestions while a customer types a
-- ticket's subject (any word may match, more matches first), Chinese and English subjects as
-- customers write them, in their language.
local queries = {
  {"zh-CN", "%E6%88%91%E7%9A%84%E6%89%93%E5%8D%B0%E6%9C%BA%E8%BF%9E%E4%B8%8D%E4%B8%8A%E7%BD%91%E7%BB%9C"}, -- 我的打印机连不上网络
  {"zh-CN", "%E5%8F%91%E7%A5%A8%E6%8A%AC%E5%A4%B4%E5%86%99%E9%94%99%E4%BA%86"},                            -- 发票抬头写错了
  {"zh-CN", "%E8%B4%A6%E5%8F%B7%E8%A2%AB%E9%94%81%E4%BA%86%E6%80%8E%E4%B9%88%E5%8A%9E"},                   -- 账号被锁了怎么办
  {"en", "my%20printer%20will%20not%20connect"}, {"en", "vpn%20says%20wrong%20password"},
  {"en", "how%20do%20I%20get%20a%20refund"}, {"en", "invoice%20address%20is%20wrong"}}
request = function()
  local q = queries[math.random(1, #queries)]
  return wrk.format("GET", "/api/v1/kb/search?match=any&lang=" .. q[1] .. "&q=" .. q[2] .. "&limit=5")
end
