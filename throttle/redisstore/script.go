package redisstore

import "github.com/redis/go-redis/v9"

// luaClock is the prelude shared by the scripts: it reads the server's
// clock and adds the test offset. Times are kept as whole seconds
// (nsec) plus nanoseconds within the second (nns): Lua numbers are
// doubles, exact only up to 2⁵³, which Unix nanoseconds exceed, so
// instants are handled relative to the current second.
//
// It defines window(period, sec), the UTC quota window containing the
// second sec, in whole seconds: days from midnight, weeks from Sunday,
// months from the first (days↔civil dates after H. Hinnant).
const luaClock = `
local function civil(z)
  z = z + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then y = y + 1 end
  return y, m
end
local function days(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end
local function window(period, sec)
  local day = math.floor(sec / 86400)
  if period == 'WEEK' then
    local s = day - (day + 4) % 7
    return s * 86400, (s + 7) * 86400
  elseif period == 'MONTH' then
    local y, m = civil(day)
    local ny, nm = y, m + 1
    if nm == 13 then ny, nm = y + 1, 1 end
    return days(y, m, 1) * 86400, days(ny, nm, 1) * 86400
  end
  return day * 86400, (day + 1) * 86400
end
-- roll moves the account fields to the window of period containing
-- nsec, as throttle's account.roll does: the count starts again when
-- the old window is over, and carries over when only the period changed.
local function roll(p, s, e, u, period, nsec)
  if p and p == period and nsec < e and nsec >= s then return p, s, e, u, false end
  if (not p) or nsec >= e or nsec < s then u = 0 end
  s, e = window(period, nsec)
  return period, s, e, u, true
end
local function limitin(limit, offset, startsec, s, e)
  if offset > 0 and s <= startsec and startsec < e then return limit - offset end
  return limit
end
`

// takeScript is one Take.
//
//	KEYS: the n limited rate buckets, then, with a quota, its account
//	hash and the prefix of its daily usage keys.
//	ARGV: n, deadline (server µs, 0 for none), test offset (s, ns in
//	[0, 1e9)), usage retention (ms); per rate: mode (0 GCRA, 1
//	blocks), T, tolerance (ns), burst; with a quota: period, limit,
//	offset, start (Unix s), and whether Limit is zero (1/0).
//
// It returns {refusal, index, limit, remaining, reset, retry, server s,
// server µs}: refusal 0 admitted, 1 rate, 2 quota; index 1..n for a
// rate, n+1 for the quota, 0 when no check is described; durations in
// ns. A call that runs after its deadline changes nothing and returns
// {-1, server s, server µs}.
//
// Buckets hold the TAT as the decimal Unix nanoseconds and expire (PX)
// when full. The account is a hash {p, s, e, u}: period, window start
// and end (Unix s), requests counted; it expires at the window's end.
// Daily usage is a counter per UTC day (prefix .. day number) that
// expires UsageRetention after the day's end.
var takeScript = redis.NewScript(luaClock + `
local clock = redis.call('TIME')
local rsec, rusec = tonumber(clock[1]), tonumber(clock[2])
local deadline = tonumber(ARGV[2])
if deadline > 0 and rsec * 1000000 + rusec > deadline then return {-1, rsec, rusec} end
local nsec = rsec + tonumber(ARGV[3])
local nns = rusec * 1000 + tonumber(ARGV[4])
if nns >= 1000000000 then nsec, nns = nsec + 1, nns - 1000000000 end
local retention = tonumber(ARGV[5])

local function rel(v)
  return (tonumber(string.sub(v, 1, -10)) - nsec) * 1000000000 + tonumber(string.sub(v, -9))
end
local function abs(r)
  local s = math.floor(r / 1000000000)
  return string.format('%d%09d', nsec + s, r - s * 1000000000)
end

local ridx, rlimit, rrem, rreset, rretry = 0, 0, 0, 0, 0
local described, drefusal = false, false
-- describe: as throttle.MemoryStore.Take's.
local function describe(refused, idx, limit, rem, reset, retry)
  if refused and ((not drefusal) or retry > rretry) then
    drefusal = true
  elseif (not refused) and (not drefusal) and ((not described) or rem < rrem or (rem == rrem and reset > rreset)) then
  else
    return
  end
  described = true
  ridx, rlimit, rrem, rreset, rretry = idx, limit, rem, reset, retry
end

local n = tonumber(ARGV[1])
local tats = {}
local refusal = 0
local a = 6
for i = 1, n do
  local key = KEYS[i]
  local mode, t, tol, burst = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  a = a + 4
  local tat = tats[key]
  if tat == nil then
    local v = redis.call('GET', key)
    if v then tat = rel(v) else tat = -math.huge end
  end
  local ok, rem, reset, retry = false, 0, 0, 0
  if mode == 0 then
    local base = math.max(tat, nns)
    local nx = base + t
    if nx - nns > tol then
      reset, retry = base - nns, nx - tol - nns
    else
      ok, tat, rem, reset = true, nx, math.floor((tol - (nx - nns)) / t), nx - nns
    end
  end
  tats[key] = tat
  if not ok then refusal = 1 end
  describe(not ok, i, burst, rem, reset, retry)
end

local akey, ukey, p, s, e, u, existed, rolled
if ARGV[a] then
  akey, ukey = KEYS[n + 1], KEYS[n + 2]
  local period, limit, offset, startsec, zero = ARGV[a], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), ARGV[a + 4] == '1'
  local acc = redis.call('HMGET', akey, 'p', 's', 'e', 'u')
  existed = acc[1] ~= false
  p, s, e, u, rolled = roll(acc[1], tonumber(acc[2]), tonumber(acc[3]), tonumber(acc[4]) or 0, period, nsec)
  local lim = limitin(limit, offset, startsec, s, e)
  local reset = (e - nsec) * 1000000000 - nns
  if u < lim then
    describe(false, n + 1, lim, lim - u - 1, reset, 0)
  else
    refusal, drefusal = 2, false
    local retry = reset
    if zero then retry = 0 end
    describe(true, n + 1, lim, math.max(lim - u, 0), reset, retry)
  end
end

local function saveaccount()
  redis.call('HSET', akey, 'p', p, 's', s, 'e', e, 'u', u)
  redis.call('PEXPIRE', akey, (e - nsec) * 1000 - math.floor(nns / 1000000) + 1)
end

if refusal ~= 0 then
  if akey and existed and rolled then saveaccount() end
  return {refusal, ridx, rlimit, rrem, rreset, rretry, rsec, rusec}
end

for i = 1, n do
  local tat = tats[KEYS[i]]
  redis.call('SET', KEYS[i], abs(tat), 'PX', math.floor((tat - nns) / 1000000) + 1)
end
if akey then
  u = u + 1
  saveaccount()
  local day = math.floor(nsec / 86400)
  local dk = ukey .. string.format('%d', day)
  if redis.call('INCR', dk) == 1 then
    redis.call('PEXPIRE', dk, ((day + 1) * 86400 - nsec) * 1000 - math.floor(nns / 1000000) + retention)
  end
end
return {0, ridx, rlimit, rrem, rreset, rretry, rsec, rusec}
`)

// adjustScript is one AdjustQuota.
//
//	KEYS: the account hash.
//	ARGV: test offset (s, ns), period, limit, offset, start (Unix s),
//	delta.
//
// It returns what remains in the current window. The count saturates
// at ±2⁵³, where Lua's numbers stop being exact.
var adjustScript = redis.NewScript(luaClock + `
local clock = redis.call('TIME')
local nsec = tonumber(clock[1]) + tonumber(ARGV[1])
local nns = tonumber(clock[2]) * 1000 + tonumber(ARGV[2])
if nns >= 1000000000 then nsec, nns = nsec + 1, nns - 1000000000 end
local period, limit, offset, startsec, delta = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local acc = redis.call('HMGET', KEYS[1], 'p', 's', 'e', 'u')
local p, s, e, u = roll(acc[1], tonumber(acc[2]), tonumber(acc[3]), tonumber(acc[4]) or 0, period, nsec)
local big = 9007199254740992
u = math.min(math.max(u - delta, -big), big)
redis.call('HSET', KEYS[1], 'p', p, 's', s, 'e', e, 'u', string.format('%.0f', u))
redis.call('PEXPIRE', KEYS[1], (e - nsec) * 1000 - math.floor(nns / 1000000) + 1)
return math.max(limitin(limit, offset, startsec, s, e) - u, 0)
`)
