-- POST /api/v1/tickets with a mixed Chinese/English ticket from an existing customer.
local customers = tonumber(os.getenv("CUSTOMERS") or "1000")
local subjects = {"打印机无法连接", "Cannot connect to VPN", "发票抬头需要修改", "Refund request"}
request = function()
  local body = '{"subject":"' .. subjects[math.random(1, #subjects)] .. ' bench","body":"' ..
    'Hello, 办公室的打印机从今天早上开始无法连接 since this morning.","requester":{"email":"customer' ..
    math.random(1, customers) .. '@example.com"},"department":' .. math.random(1, 20) ..
    ',"tags":["bench"]}'
  -- A headers table replaces wrk.headers, so carry the -H headers (Authorization) over.
  local headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", "/api/v1/tickets", headers, body)
end
