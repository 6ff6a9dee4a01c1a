-- wrk script of the live benchmark: POST add_interaction, rotating tokens.
--
-- Each wrk thread cycles through its own slice of BENCH_TOKENS_PER_THREAD tokens (names as in
-- bench/common.py), so with more tokens than connections no token is ever in flight twice and
-- the fake's gate (1 request per token) admits every request. With BENCH_FIXED_TOKEN set, every
-- request uses that one token (the refusal benchmark). done() prints one JSON line for bench/live.py.

local prefix = os.getenv("BENCH_TOKEN_PREFIX") or "bench-token-"
local per_thread = tonumber(os.getenv("BENCH_TOKENS_PER_THREAD") or "500")
local fixed = os.getenv("BENCH_FIXED_TOKEN") or ""
local body = os.getenv("BENCH_BODY") or "{}"
local counter = 0

function setup(thread)
  thread:set("thread_index", counter)
  counter = counter + 1
end

function init(args)
  first = thread_index * per_thread
  next_index = 0
end

function request()
  local token = fixed
  if token == "" then
    token = string.format("%s%06d", prefix, first + next_index)
    next_index = (next_index + 1) % per_thread
  end
  local headers = { ["wolkvox-token"] = token, ["Content-Type"] = "application/json" }
  return wrk.format("POST", nil, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,' ..
    '"status_errors":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
