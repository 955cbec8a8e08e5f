-- wrk script for the "cold" runs of tests/benchmark/run.sh: every request carries a Host header
-- never used before. The API's answer cache is keyed by host, URL and Accept (links in an answer
-- are absolute), so no request is ever served from it: each one runs the handler and its SQLite
-- queries, as the first request for a URL does. Headers given with -H are kept. The hosts differ
-- between runs too (the run's start time is part of them): page100 and page100-br share a URL, and a
-- host seen in an earlier run would make the answer a second request, which the API keeps.
local threads = 0
local run = os.time()

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local n = 0

function request()
  n = n + 1
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Host"] = "cold-" .. run .. "-" .. id .. "-" .. n
  return wrk.format(nil, nil, headers)
end
