-- GET /api/v1/kb/search: words from the texts bench/kb_data.py writes, Chinese (no spaces) and
-- English, in their language; some common, some rare.
local queries = {
  {"zh-CN", "%E6%89%93%E5%8D%B0%E6%9C%BA"},                          -- 打印机
  {"zh-CN", "%E5%8F%91%E7%A5%A8%E6%8A%AC%E5%A4%B4"},                 -- 发票抬头
  {"zh-CN", "%E8%B4%A6%E5%8F%B7%E9%94%81%E5%AE%9A"},                 -- 账号锁定
  {"en", "printer"}, {"en", "vpn%20password"}, {"en", "invoice%20address"},
  {"en", "refund"}, {"en", "topic1234"}}
request = function()
  local q = queries[math.random(1, #queries)]
  return wrk.format("GET", "/api/v1/kb/search?lang=" .. q[1] .. "&q=" .. q[2] .. "&limit=10")
end
