-- wrk script for tests/cluster/run.sh: a mix of small answers through nginx, half of them asked with
-- Cache-Control: no-cache so that they go past the cache to a replica (the other half are served from
-- the cache), some conditional (If-None-Match: the ETag given in $ETAG, answered 304). Counts every
-- answer by status, across wrk's threads, and prints one line per status and the socket errors.
local paths = {
  "/v1",
  "/v1/sources",
  "/v1/statistics?limit=20",
  "/v1/statistics/registered-volunteers-2019-01-09-pc2019",
  "/v1/goals?plan=14th&limit=10",
  "/v1/indicators?limit=50",
}
local etag = os.getenv("ETAG")
local i = 0
statuses = {}

request = function()
  i = i + 1
  local headers = {}
  if i % 2 == 0 then headers["Cache-Control"] = "no-cache" end
  if i % 3 == 0 then headers["Accept-Encoding"] = "br" end
  if etag and i % 5 == 0 then return wrk.format("GET", "/v1/sources", {["If-None-Match"] = etag, ["Cache-Control"] = headers["Cache-Control"]}) end
  return wrk.format("GET", paths[(i % #paths) + 1], headers)
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

local threads = {}
setup = function(thread) table.insert(threads, thread) end

done = function(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + n end
  end
  for status, n in pairs(total) do io.write(string.format("status %d %d\n", status, n)) end
  local e = summary.errors
  io.write(string.format("requests %d\nsocket_errors %d (connect %d, read %d, write %d, timeout %d)\n",
    summary.requests, e.connect + e.read + e.write + e.timeout, e.connect, e.read, e.write, e.timeout))
end
