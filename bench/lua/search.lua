-- Full-text searches, Chinese and English, some with filters.
local queries = {
  "%E6%89%93%E5%8D%B0%E6%9C%BA",                 -- 打印机
  "%E5%8F%91%E7%A5%A8%E6%8A%AC%E5%A4%B4",        -- 发票抬头
  "%E9%80%80%E6%AC%BE",                          -- 退款
  "printer", "vpn%20authentication", "invoice", "refund%20duplicate",
  "%22billing%20address%22", "status%3Aopen%20printer", "tag%3Avip%20%E7%A9%BA%E8%B0%83",
}
request = function()
  return wrk.format("GET", "/api/v1/search?q=" .. queries[math.random(1, #queries)])
end
