-- POST /api/v1/tickets from an existing customer: a subject and body drawn from the same texts
-- bench-data writes (Chinese and English), so tickets the runs add search like the data set's
-- (a run that added one body over and over left the newest documents without the words the
-- search run looks for).
local customers = tonumber(os.getenv("CUSTOMERS") or "1000")
local subjects = {"打印机无法连接", "Cannot connect to VPN", "发票抬头需要修改", "Refund request",
  "Printer offline on floor 3", "退款申请", "Invoice address is wrong", "账号被锁定"}
local bodies = {
  "您好，办公室的打印机从今天早上开始无法连接，重启之后还是不行，麻烦尽快处理。",
  "我们公司的 VPN 在家里连接时总是提示认证失败，账号密码都确认过是正确的。",
  "上个月的发票抬头写错了，需要重新开具，请问需要提供哪些资料？",
  "收到了退款申请的回复，但是金额和订单不一致，请再核对一下。",
  "Hello, the printer on the third floor has been offline since this morning. Restarting it " ..
    "did not help and the queue keeps growing.",
  "When I connect to the VPN from home I get an authentication error, although my password " ..
    "works everywhere else.",
  "Our last invoice shows the wrong billing address. Could you issue a corrected invoice?",
  "I was charged twice for the annual subscription, please refund the duplicate payment."}
request = function()
  local body = '{"subject":"' .. subjects[math.random(1, #subjects)] .. ' bench","body":"' ..
    bodies[math.random(1, #bodies)] .. '","requester":{"email":"customer' ..
    math.random(1, customers) .. '@example.com"},"department":' .. math.random(1, 20) ..
    ',"tags":["bench"]}'
  -- A headers table replaces wrk.headers, so carry the -H headers (Authorization) over.
  local headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", "/api/v1/tickets", headers, body)
end
