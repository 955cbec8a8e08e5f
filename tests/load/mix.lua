-- A mix of endpoints, one after another per connection (wrk's Lua API).
local paths = {
  "/v1/statistics?limit=100",
  "/v1/statistics?indicator=service-circles,community-workers&sort=-period",
  "/v1/statistics/registered-volunteers-2019-01-09-pc2019",
  "/v1/search?q=%E5%85%9A%E5%BB%BA",
  "/v1/regions?format=geojson",
  "/v1/statistics?format=csv",
  "/v1/goals?plan=14th",
  "/v1/indicators/service-circles/series",
  "/v1/statistics?limit=7&sort=value&fields=id,value",
  "/v1/nothing-here",
  "/v1/statistics?limit=0",
  "/healthz",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end

done = function(summary, latency, requests)
  io.write(string.format("requests %d\nsocket_errors %d\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("p50_ms %.2f\np99_ms %.2f\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
