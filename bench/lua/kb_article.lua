-- GET /help/{lang}/articles/{id}: a random article of the ARTICLES loaded by bench/kb_data.py,
-- in a random one of its two languages.
local articles = tonumber(os.getenv("ARTICLES") or "10000")
local first = tonumber(os.getenv("FIRST_ARTICLE") or "1")
local langs = {"en", "zh-CN"}
request = function()
  local id = first + math.random(0, articles - 1)
  return wrk.format("GET", "/help/" .. langs[math.random(1, 2)] .. "/articles/" .. id)
end
