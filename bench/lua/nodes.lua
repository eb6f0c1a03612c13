-- Spreads wrk's threads over several gongdan nodes (thread i goes to node i mod n), for the
-- PostgreSQL benchmark's two nodes: NODES="127.0.0.1:8081,127.0.0.1:8082". BENCH_SCRIPT names
-- the request script to run (bench/lua/get_ticket.lua …), unchanged.
dofile(os.getenv("BENCH_SCRIPT"))
local nodes = {}
for host, port in string.gmatch(os.getenv("NODES") or "", "([^,:]+):(%d+)") do
  table.insert(nodes, wrk.lookup(host, port)[1])
end
local count = 0
function setup(thread)
  count = count + 1
  if #nodes > 0 then thread.addr = nodes[(count - 1) % #nodes + 1] end
end
