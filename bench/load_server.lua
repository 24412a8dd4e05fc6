-- wrk script for bench/load_server.sh: POSTs /api/forecast with the scenario file's text.
-- The body is built once in init from the file named by the environment (JSON-escaped here, so
-- the bench needs nothing but wrk).
local function json_string(s)
  s = s:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('\n', '\\n'):gsub('\r', '\\r'):gsub('\t', '\\t')
  s = s:gsub('[%z\1-\31]', function(c) return string.format('\\u%04x', c:byte()) end)
  return '"' .. s .. '"'
end

local file = os.getenv("ENTENTE_BENCH_SCENARIO")
local models = os.getenv("ENTENTE_BENCH_MODELS") or "compromise,median,nbs,mean"
local f = assert(io.open(file, "rb"))
local text = f:read("*a")
f:close()
local list = {}
for m in models:gmatch("[^,]+") do list[#list + 1] = json_string(m) end
local name = file:match("[^/]+$")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text":' .. json_string(text) .. ',"name":' .. json_string(name) ..
           ',"models":[' .. table.concat(list, ",") .. ']}'

local non200 = 0
function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end
