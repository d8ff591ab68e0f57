#!/usr/bin/env bash
# bench/run.sh: load the petstore gateway's HTTP proxy route and a bare
# httputil.ReverseProxy with wrk, in interleaved rounds, then the same proxy
# route with and without a usage plan, and with a response cache, and print
# one table comparing them.
# See bench/README.md.
#
# Settings (environment variables):
#   ROUNDS=3          rounds per proxy target (1..20); the /health reference gets 2
#   REDIS=            host:port of a Redis server: also load the usage-plan
#                     route with limits kept there
#   DURATION=10s      length of each wrk run (1s..600s; s or m suffix)
#   CONNECTIONS=64    wrk -c
#   THREADS=2         wrk -t
#   WARMUP=2s         one unmeasured run per proxy target first; 0 skips it
#
# Everything listens on 127.0.0.1 only. Every process started here is
# stopped on exit, including on errors and Ctrl-C.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-2s}
HEALTH_ROUNDS=2
PROXY_PATH=/inventory/stock/kibble

BENCH_NAME=bench
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# ---- checks ---------------------------------------------------------------

command -v wrk >/dev/null 2>&1 || die "wrk is not installed; install it with: apt-get install wrk"
command -v curl >/dev/null 2>&1 || die "curl is not installed; install it with: apt-get install curl"
command -v go >/dev/null 2>&1 || die "go is not on PATH (gatekit needs Go 1.26)"

[[ -z ${REDIS:-} || ${REDIS} =~ ^[A-Za-z0-9.-]+:[0-9]+$ ]] || die "REDIS=$REDIS: want host:port"
[[ $ROUNDS =~ ^[0-9]+$ ]] && ((ROUNDS >= 1 && ROUNDS <= 20)) || die "ROUNDS=$ROUNDS: want 1..20"
dur_s=$(seconds "$DURATION") && ((dur_s >= 1 && dur_s <= 600)) || die "DURATION=$DURATION: want 1s..600s, e.g. 10s or 1m"
[[ $THREADS =~ ^[0-9]+$ ]] && ((THREADS >= 1 && THREADS <= 64)) || die "THREADS=$THREADS: want 1..64"
[[ $CONNECTIONS =~ ^[0-9]+$ ]] && ((CONNECTIONS >= THREADS && CONNECTIONS <= 10000)) ||
	die "CONNECTIONS=$CONNECTIONS: want THREADS..10000"
if [[ $WARMUP == 0 ]]; then
	warm_s=0
else
	warm_s=$(seconds "$WARMUP") && ((warm_s >= 1 && warm_s <= 60)) || die "WARMUP=$WARMUP: want 0 or 1s..60s"
fi

cd "$(dirname "$0")/.."

# ---- process bookkeeping --------------------------------------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gatekit-bench.XXXXXX")
pids=()          # servers started by this script, still running
declare -A names # server PID -> name, for messages
wrk_pid=""       # the wrk run in progress, if any

# forget PID reaps a server that has exited and drops it from pids, so that
# cleanup never signals a PID the system may have reused.
forget() {
	local p keep=()
	wait "$1" 2>/dev/null || true
	for p in "${pids[@]}"; do
		[[ $p == "$1" ]] || keep+=("$p")
	done
	pids=("${keep[@]}")
}

cleanup() {
	local p i
	trap - EXIT INT TERM
	if [[ -n $wrk_pid ]]; then
		kill "$wrk_pid" 2>/dev/null || true
		wait "$wrk_pid" 2>/dev/null || true
	fi
	for p in "${pids[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		for ((i = 0; i < 60; i++)); do # up to 6s, then force
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start NAME CMD... starts a server in the background, its stdout in
# $tmp/NAME.out and its stderr in $tmp/NAME.err, and sets started to its PID.
start() {
	local name=$1
	shift
	"$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	started=$!
	pids+=("$started")
	names[$started]=$name
}

# check_servers fails, with the server's last words, if any server has
# exited: a benchmark against a dead process means nothing.
check_servers() {
	local p status
	for p in "${pids[@]}"; do
		kill -0 "$p" 2>/dev/null && continue
		status=0
		wait "$p" 2>/dev/null || status=$?
		forget "$p"
		die "${names[$p]} (pid $p) exited unexpectedly with status $status; its stderr ends:
$(tail -n 20 "$tmp/${names[$p]}.err")"
	done
}

# listen_addr PID NAME waits for the "listening on HOST:PORT" line that
# backend and bareproxy print first, and prints HOST:PORT.
listen_addr() {
	local i addr
	for ((i = 0; i < 100; i++)); do
		addr=$(awk 'NR == 1 && $1 == "listening" && $2 == "on" { print $3 }' "$tmp/$2.out" 2>/dev/null || true)
		[[ -n $addr ]] && { echo "$addr"; return 0; }
		kill -0 "$1" 2>/dev/null || die "$2 exited: $(cat "$tmp/$2.err")"
		sleep 0.1
	done
	die "$2 did not print its address within 10s"
}

# wait_http URL PID waits until URL answers 2xx. It fails if the process
# exits first or 10s pass.
wait_http() {
	local i
	for ((i = 0; i < 100; i++)); do
		curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# free_port prints a loopback port that nothing is listening on right now.
free_port() {
	local i p
	for ((i = 0; i < 50; i++)); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# ---- build and start ------------------------------------------------------

echo "bench: building backend, bareproxy, stagegw and examples/petstore" >&2
bin=$tmp/bin
go build -o "$bin/backend" ./bench/backend
go build -o "$bin/bareproxy" ./bench/bareproxy
go build -o "$bin/stagegw" ./bench/stagegw
go build -o "$bin/petstore" ./examples/petstore

start backend "$bin/backend" -addr 127.0.0.1:0
backend_pid=$started
backend_addr=$(listen_addr "$backend_pid" backend)
wait_http "http://$backend_addr$PROXY_PATH" "$backend_pid" ||
	die "backend does not answer on $backend_addr: $(cat "$tmp/backend.err")"

start bareproxy "$bin/bareproxy" -addr 127.0.0.1:0 -backend "http://$backend_addr"
bare_pid=$started
bare_addr=$(listen_addr "$bare_pid" bareproxy)
wait_http "http://$bare_addr$PROXY_PATH" "$bare_pid" ||
	die "bareproxy does not answer on $bare_addr: $(cat "$tmp/bareproxy.err")"

# petstore takes an explicit port: pick a free one, and pick again if
# another process took it in the meantime.
gw_addr=""
for attempt in 1 2 3; do
	port=$(free_port) || die "found no free loopback port for petstore"
	start petstore "$bin/petstore" -backend "http://$backend_addr" -quiet -gateway-rate inf -addr "127.0.0.1:$port"
	gw_pid=$started
	if wait_http "http://127.0.0.1:$port/health" "$gw_pid"; then
		gw_addr=127.0.0.1:$port
		break
	fi
	kill -0 "$gw_pid" 2>/dev/null && die "petstore does not answer on 127.0.0.1:$port within 10s"
	forget "$gw_pid"
	grep -q "address already in use" "$tmp/petstore.err" ||
		die "petstore exited: $(cat "$tmp/petstore.err")"
done
[[ -n $gw_addr ]] || die "petstore could not bind a loopback port after 3 attempts"

# start_stagegw NAME [ARGS...] starts a stagegw and sets plan_addr and
# plan_key to its address and API key.
start_stagegw() {
	local name=$1 i
	shift
	start "$name" "$bin/stagegw" -addr 127.0.0.1:0 -backend "http://$backend_addr" "$@"
	plan_addr=$(listen_addr "$started" "$name")
	plan_key=""
	for ((i = 0; i < 50; i++)); do
		plan_key=$(awk 'NR == 2 && $1 == "key" { print $2 }' "$tmp/$name.out")
		[[ -n $plan_key ]] && break
		sleep 0.1
	done
	[[ -n $plan_key ]] || die "$name printed no key: $(cat "$tmp/$name.err")"
}
start_stagegw stagegw
stagegw_addr=$plan_addr
key_header="x-api-key: $plan_key"
redis_addr="" redis_key_header=""
if [[ -n ${REDIS:-} ]]; then
	start_stagegw stagegw-redis -redis "$REDIS"
	redis_addr=$plan_addr
	redis_key_header="x-api-key: $plan_key"
fi

# Every target must really reach the backend before its numbers mean
# anything.
check_url() {
	curl -fsS --max-time 2 ${2:+-H "$2"} "$1" | grep -q '"item":"kibble"' || die "$1 does not return the backend's body"
}
check_url "http://$bare_addr$PROXY_PATH"
check_url "http://$gw_addr$PROXY_PATH"
check_url "http://$stagegw_addr/open$PROXY_PATH" "$key_header"
check_url "http://$stagegw_addr/plan$PROXY_PATH" "$key_header"
check_url "http://$stagegw_addr/cached$PROXY_PATH" "$key_header"
[[ -z $redis_addr ]] || check_url "http://$redis_addr/plan$PROXY_PATH" "$redis_key_header"

# ---- load -----------------------------------------------------------------

results=$tmp/results # one line per run: key round req/s p50_ms p99_ms non2xx socket_errors
: >"$results"

# parse FILE prints "req/s p50_ms p99_ms non2xx socket_errors" from one
# wrk --latency output, converting wrk's us/ms/s/m/h latencies to ms.
parse() {
	awk '
	function ms(v,    n, u) {
		n = v + 0
		u = v
		sub(/^[0-9.]+/, "", u)
		if (u == "us") return n / 1000
		if (u == "ms") return n
		if (u == "s") return n * 1000
		if (u == "m") return n * 60000
		if (u == "h") return n * 3600000
		return -1
	}
	$1 == "Requests/sec:" { rps = $2 }
	$1 == "50%" { p50 = ms($2) }
	$1 == "99%" { p99 = ms($2) }
	/Non-2xx or 3xx responses:/ { bad += $NF }
	/Socket errors:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) sockerr += $i + 0 }
	END {
		if (rps == "" || p50 == "" || p99 == "" || p50 < 0 || p99 < 0) exit 1
		printf "%s %.4f %.4f %d %d\n", rps, p50, p99, bad, sockerr
	}' "$1"
}

# load KEY URL ROUND DURATION [HEADER] runs wrk once; ROUND "warmup" is
# not recorded.
load() {
	local out="$tmp/wrk-$1-$3.txt" line
	wrk -t "$THREADS" -c "$CONNECTIONS" -d "$4" --latency ${5:+-H "$5"} "$2" >"$out" 2>&1 &
	wrk_pid=$!
	if ! wait "$wrk_pid"; then
		wrk_pid=""
		check_servers
		die "wrk failed against $2: $(cat "$out")"
	fi
	wrk_pid=""
	check_servers
	line=$(parse "$out") || die "could not parse wrk output against $2: $(cat "$out")"
	[[ $3 == warmup ]] && return 0
	echo "$1 $3 $line" >>"$results"
	awk -v k="$1" -v r="$3" '{ printf "bench:   %-8s round %s: %10.0f req/s  p50 %.3f ms  p99 %.3f ms\n", k, r, $1, $2, $3 }' <<<"$line" >&2
}

bare_url=http://$bare_addr$PROXY_PATH
gw_url=http://$gw_addr$PROXY_PATH
health_url=http://$gw_addr/health

open_url=http://$stagegw_addr/open$PROXY_PATH
plan_url=http://$stagegw_addr/plan$PROXY_PATH
cached_url=http://$stagegw_addr/cached$PROXY_PATH
redis_url=${redis_addr:+http://$redis_addr/plan$PROXY_PATH}
targets=5
[[ -z $redis_url ]] || targets=6
total=$(((targets * ROUNDS + HEALTH_ROUNDS) * dur_s + targets * warm_s))
echo "bench: $ROUNDS interleaved rounds of wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, about ${total}s" >&2
if ((warm_s > 0)); then
	echo "bench: warming up (${WARMUP} each, not recorded)" >&2
	load bare "$bare_url" warmup "$WARMUP"
	load gateway "$gw_url" warmup "$WARMUP"
	load open "$open_url" warmup "$WARMUP" "$key_header"
	load plan "$plan_url" warmup "$WARMUP" "$key_header"
	load cached "$cached_url" warmup "$WARMUP" "$key_header"
	[[ -z $redis_url ]] || load redis "$redis_url" warmup "$WARMUP" "$redis_key_header"
fi
for ((r = 1; r <= ROUNDS; r++)); do
	load bare "$bare_url" "$r" "$DURATION"
	load gateway "$gw_url" "$r" "$DURATION"
	load open "$open_url" "$r" "$DURATION" "$key_header"
	load plan "$plan_url" "$r" "$DURATION" "$key_header"
	load cached "$cached_url" "$r" "$DURATION" "$key_header"
	[[ -z $redis_url ]] || load redis "$redis_url" "$r" "$DURATION" "$redis_key_header"
done
for ((r = 1; r <= HEALTH_ROUNDS; r++)); do
	load health "$health_url" "$r" "$DURATION"
done

# ---- report ---------------------------------------------------------------

cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo "?")
echo
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency over 127.0.0.1; $cpus CPUs shared by wrk, proxy and backend"
echo "ratios are target / bare proxy (req/s: higher is better; p50, p99: lower is better)"
echo
awk -v PROXY="$PROXY_PATH" '
BEGIN {
	label["bare"] = "bare proxy " PROXY
	label["gateway"] = "gateway " PROXY
	label["health"] = "gateway /health (mock)"
	label["open"] = "API key, no plan " PROXY
	label["plan"] = "API key, usage plan " PROXY
	label["redis"] = "API key, usage plan on Redis"
	label["cached"] = "API key, cached " PROXY
}
{
	if (!($1 in n)) order[++k] = $1
	n[$1]++; rps[$1] += $3; p50[$1] += $4; p99[$1] += $5; bad[$1] += $6; sockerr[$1] += $7
}
END {
	if (!("bare" in n)) exit 1
	brps = rps["bare"] / n["bare"]; bp50 = p50["bare"] / n["bare"]; bp99 = p99["bare"] / n["bare"]
	fmt = "%-44s %6s %12s %10s %10s %8s %8s %8s\n"
	printf fmt, "target", "rounds", "mean req/s", "p50 ms", "p99 ms", "req/s x", "p50 x", "p99 x"
	for (i = 1; i <= k; i++) {
		t = order[i]
		m = rps[t] / n[t]; a = p50[t] / n[t]; b = p99[t] / n[t]
		printf fmt, label[t], n[t], sprintf("%.0f", m), sprintf("%.3f", a), sprintf("%.3f", b),
			sprintf("%.3f", m / brps), sprintf("%.3f", a / bp50), sprintf("%.3f", b / bp99)
		if (bad[t] + sockerr[t] > 0)
			warn = warn sprintf("WARNING: %s: %d non-2xx responses, %d socket errors; its numbers are suspect\n", label[t], bad[t], sockerr[t])
	}
	printf "\n%s", warn
	if ("gateway" in n) {
		ratio = (rps["gateway"] / n["gateway"]) / brps
		printf "gateway proxy route: %.1f%% of the bare proxy'"'"'s req/s (target: at least 90%%): %s\n",
			100 * ratio, ratio >= 0.90 ? "within target" : "BELOW TARGET"
	}
	if ("open" in n && "plan" in n)
		printf "usage plan (all levels, in memory): %.1f%% of the same route'"'"'s req/s without one\n",
			100 * (rps["plan"] / n["plan"]) / (rps["open"] / n["open"])
	if ("open" in n && "cached" in n)
		printf "response cache: cached route at %.2fx the same route'"'"'s req/s uncached\n",
			(rps["cached"] / n["cached"]) / (rps["open"] / n["open"])
	if ("open" in n && "redis" in n)
		printf "usage plan on Redis: %.1f%% of the same route'"'"'s req/s without one\n",
			100 * (rps["redis"] / n["redis"]) / (rps["open"] / n["open"])
}' "$results"
