-- wrk script: counts every non-2xx response exactly and prints one machine-readable
-- line with the latency percentiles (microseconds) when the run is done.
-- Used by bench/run.py; `wrk -s bench/report.lua URL` also works on its own.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   non2xx = 0
   codes = {}
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
      local key = tostring(status)
      codes[key] = (codes[key] or 0) + 1
   end
end

function done(summary, latency, requests)
   local bad = 0
   local merged = {}
   for _, thread in ipairs(threads) do
      bad = bad + (thread:get("non2xx") or 0)
      for code, n in pairs(thread:get("codes") or {}) do
         merged[code] = (merged[code] or 0) + n
      end
   end
   local parts = {}
   for code, n in pairs(merged) do
      table.insert(parts, string.format('"%s":%d', code, n))
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
      '"latency_us":{"min":%d,"mean":%.1f,"max":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d},' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"non2xx":%d,"non2xx_codes":{%s}}\n',
      summary.requests, summary.duration, summary.bytes,
      latency.min, latency.mean, latency.max,
      latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency:percentile(99.9),
      e.connect, e.read, e.write, e.status, e.timeout,
      bad, table.concat(parts, ",")))
end
