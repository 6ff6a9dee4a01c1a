"""The Lua scripts that make each shared step one atomic round trip.

Times come from Redis (``TIME``), so processes on machines whose clocks differ agree on when a
lease ends.
"""

from __future__ import annotations

__all__ = ["ACQUIRE", "ADMIT", "IN_FLIGHT", "JOURNAL", "LISTS", "RENEW", "SAVE", "UNCOUNT", "UNLOCK"]

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

#: KEYS: slots (zset of the token), token's day counter, pool's day counter, held set, peaks.
#: ARGV: slot id, lease ms, in-flight limit, check quota (0/1), count (0/1), token cap (-1:
#: none), pool cap (-1: none), day counters' ttl (s), token.
#: Returns {0} quota used up, {1, n} busy, {2, held, token uses, pool uses} admitted.
#: The order is the in-memory pipeline's: quota first, then the gate.
ADMIT = (
    _NOW
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if ARGV[4] == '1' then
  local used = tonumber(redis.call('GET', KEYS[2]) or '0')
  local pool = tonumber(redis.call('GET', KEYS[3]) or '0')
  local tcap, pcap = tonumber(ARGV[6]), tonumber(ARGV[7])
  if (tcap >= 0 and used >= tcap) or (pcap >= 0 and pool >= pcap) then return {0} end
end
local n = redis.call('ZCARD', KEYS[1])
if n >= tonumber(ARGV[3]) then return {1, n} end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
local peak = tonumber(redis.call('HGET', KEYS[5], ARGV[9]) or '0')
if n + 1 > peak then redis.call('HSET', KEYS[5], ARGV[9], n + 1) end
local tu, pu = 0, 0
if ARGV[5] == '1' then
  tu = redis.call('INCR', KEYS[2]); redis.call('EXPIRE', KEYS[2], ARGV[8])
  pu = redis.call('INCR', KEYS[3]); redis.call('EXPIRE', KEYS[3], ARGV[8])
end
return {2, redis.call('SISMEMBER', KEYS[4], ARGV[9]), tu, pu}
"""
)

#: KEYS: token's day counter, pool's day counter. Takes back one counted call (an injected
#: error Wolkvox gives before counting, picked after admission).
UNCOUNT = """
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then redis.call('DECR', KEYS[1]) end
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 1
"""

#: KEYS: slots of one token. ARGV: lease ms, then slot ids. Pushes their ends forward
#: (``XX``: a slot already released is not brought back).
RENEW = (
    _NOW
    + """
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
return 1
"""
)

#: KEYS: slots of one token. Drops expired slots, returns how many are in flight.
IN_FLIGHT = (
    _NOW
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZCARD', KEYS[1])
"""
)

#: KEYS: lock, versions. ARGV: owner, lock ms. The versions of every part when the lock was
#: taken, nil when another owner holds it.
ACQUIRE = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('HGETALL', KEYS[2])
end
return false
"""

#: KEYS: lock, versions, interactions list, then one key per part saved. ARGV: owner, what to
#: do with the interactions ("keep", "append" or "rewrite"), how many are given, the
#: interactions (JSON), then (part name, value) pairs. Writes only while ``owner`` holds the
#: lock, bumps the versions of what it wrote (a rewrite of the interactions bumps theirs; their
#: length is kept beside), then unlocks. Returns -1 when the lock was lost (nothing written),
#: else the versions.
SAVE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local n = tonumber(ARGV[3])
if ARGV[2] == 'rewrite' then
  redis.call('DEL', KEYS[3])
  redis.call('HINCRBY', KEYS[2], 'interactions', 1)
end
for i = 4, 3 + n, 1000 do
  redis.call('RPUSH', KEYS[3], unpack(ARGV, i, math.min(i + 999, 3 + n)))
end
redis.call('HSET', KEYS[2], 'interactions_len', redis.call('LLEN', KEYS[3]))
local k = 4
for i = 4 + n, #ARGV, 2 do
  redis.call('SET', KEYS[k], ARGV[i + 1])
  redis.call('HINCRBY', KEYS[2], ARGV[i], 1)
  k = k + 1
end
redis.call('DEL', KEYS[1])
return redis.call('HGETALL', KEYS[2])
"""

#: KEYS: lock. ARGV: owner. Compare-and-delete: never frees a lock another owner took.
UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

#: KEYS: journal list, seq counter, total counter. ARGV: entry as JSON text, most entries kept.
#: Numbers the entry and appends it in one step, so the list stays in ``seq`` order.
JOURNAL = """
local seq = redis.call('INCR', KEYS[2])
redis.call('RPUSH', KEYS[1], '[' .. seq .. ',' .. ARGV[1] .. ']')
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
redis.call('INCR', KEYS[3])
return seq
"""

#: KEYS: lock, versions, then one key per capped list. ARGV: owner, then per list: its seq
#: field, its gen field, "append" or "rewrite", its cap, how many rows, the rows (JSON).
#: Appends (or writes anew) and trims each list, only while ``owner`` holds the lock; sent
#: with ``SAVE`` in one transaction. Returns -1 when the lock was lost.
LISTS = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local a = 2
for j = 3, #KEYS do
  local seqf, genf, mode = ARGV[a], ARGV[a + 1], ARGV[a + 2]
  local cap, n = tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
  a = a + 5
  if mode == 'rewrite' then
    redis.call('DEL', KEYS[j])
    redis.call('HINCRBY', KEYS[2], genf, 1)
    redis.call('HSET', KEYS[2], seqf, 0)
  end
  for i = a, a + n - 1, 1000 do
    redis.call('RPUSH', KEYS[j], unpack(ARGV, i, math.min(i + 999, a + n - 1)))
  end
  if cap > 0 then redis.call('LTRIM', KEYS[j], -cap, -1) end
  redis.call('HINCRBY', KEYS[2], seqf, n)
  a = a + n
end
return 1
"""
