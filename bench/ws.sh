#!/usr/bin/env bash
# bench/ws.sh: measure package ws on one gateway instance — the server's
# memory per idle WebSocket connection with CONNS connections open, and
# the round trip of a two-way route under LATENCY_CONNS connections each
# sending one message a second — and print a table.
# See bench/README.md.
#
# Settings (environment variables):
#   CONNS=10000         idle connections for the memory figure (100..50000)
#   LATENCY_CONNS=1000  connections for the round-trip figure (1..50000)
#   DURATION=20s        how long those send (1s..600s; s or m suffix)
#
# wsserver and wsload are separate processes on 127.0.0.1; memory is
# measured in wsserver only. Every process started here is stopped on
# exit, including on errors and Ctrl-C.
set -euo pipefail

CONNS=${CONNS:-10000}
LATENCY_CONNS=${LATENCY_CONNS:-1000}
DURATION=${DURATION:-20s}

BENCH_NAME=ws
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# ---- checks ---------------------------------------------------------------

command -v go >/dev/null 2>&1 || die "go is not on PATH (gatekit needs Go 1.26)"
[[ $CONNS =~ ^[0-9]+$ ]] && ((10#$CONNS >= 100 && 10#$CONNS <= 50000)) || die "CONNS=$CONNS: want 100..50000"
[[ $LATENCY_CONNS =~ ^[0-9]+$ ]] && ((10#$LATENCY_CONNS >= 1 && 10#$LATENCY_CONNS <= 50000)) ||
	die "LATENCY_CONNS=$LATENCY_CONNS: want 1..50000"
CONNS=$((10#$CONNS)) LATENCY_CONNS=$((10#$LATENCY_CONNS))
dur_s=$(seconds "$DURATION") && ((dur_s >= 1 && dur_s <= 600)) || die "DURATION=$DURATION: want 1s..600s, e.g. 20s or 1m"

# File descriptors are limited per process, and the server and the client
# are two processes: each holds one socket per connection, and the phases
# run one after the other. 1000 more leaves room for the rest.
most=$((CONNS > LATENCY_CONNS ? CONNS : LATENCY_CONNS))
need=$((most + 1000))
hard=$(ulimit -Hn)
[[ $hard == unlimited ]] || ((hard >= need)) ||
	die "the hard limit on open files is $hard; $most connections need $need per process. Raise it (as root: ulimit -Hn $need, or LimitNOFILE=) or lower CONNS and LATENCY_CONNS"
soft=$(ulimit -Sn)
if [[ $soft != unlimited ]] && ((soft < need)); then
	ulimit -Sn "$need"
fi
# The client takes one loopback port per connection.
read -r port_lo port_hi </proc/sys/net/ipv4/ip_local_port_range || die "cannot read /proc/sys/net/ipv4/ip_local_port_range"
((port_hi - port_lo + 1 >= most + 1000)) ||
	die "net.ipv4.ip_local_port_range ($port_lo-$port_hi) has too few ports for $most connections"

cd "$(dirname "$0")/.."

# ---- process bookkeeping --------------------------------------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gatekit-ws.XXXXXX")
server_pid="" # wsserver, while it runs
load_pid=""   # wsload, while it runs

cleanup() {
	local i
	trap - EXIT INT TERM
	if [[ -n $load_pid ]]; then
		kill -TERM "$load_pid" 2>/dev/null || true
		wait "$load_pid" 2>/dev/null || true
	fi
	if [[ -n $server_pid ]]; then
		kill -TERM "$server_pid" 2>/dev/null || true
		for ((i = 0; i < 150; i++)); do # up to 15s (it closes its connections within 10s), then force
			kill -0 "$server_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# server_alive fails, with the server's last words, if wsserver has exited.
server_alive() {
	kill -0 "$server_pid" 2>/dev/null && return 0
	local status=0
	wait "$server_pid" 2>/dev/null || status=$?
	server_pid=""
	die "wsserver exited unexpectedly with status $status; its stderr ends:
$(tail -n 20 "$tmp/wsserver.err")"
}

# ---- build and start ------------------------------------------------------

echo "ws: building wsserver and wsload" >&2
bin=$tmp/bin
go build -o "$bin/wsserver" ./bench/wsserver
go build -o "$bin/wsload" ./bench/wsload

"$bin/wsserver" -addr 127.0.0.1:0 >"$tmp/wsserver.out" 2>"$tmp/wsserver.err" &
server_pid=$!
addr=""
for ((i = 0; i < 100; i++)); do
	addr=$(awk 'NR == 1 && $1 == "listening" && $2 == "on" { print $3 }' "$tmp/wsserver.out")
	[[ -n $addr ]] && break
	server_alive
	sleep 0.1
done
[[ -n $addr ]] || die "wsserver did not print its address within 10s"

# ---- load -----------------------------------------------------------------

echo "ws: wsserver on $addr (pid $server_pid); about $((CONNS / 2000 + 5 + LATENCY_CONNS / 2000 + dur_s + 10))s of load" >&2
"$bin/wsload" -url "ws://$addr/ws" -mem-url "http://$addr/debug/mem" \
	-conns "$CONNS" -latency-conns "$LATENCY_CONNS" -duration "${dur_s}s" >"$tmp/wsload.out" &
load_pid=$!
status=0
wait "$load_pid" || status=$?
load_pid=""
server_alive
if ((status != 0)); then
	cat "$tmp/wsload.out" # what was measured before the failure
	die "wsload failed with status $status (see its message above)"
fi

# ---- report ---------------------------------------------------------------

cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo "?")
echo
echo "ws.sh: CONNS=$CONNS LATENCY_CONNS=$LATENCY_CONNS DURATION=${dur_s}s over 127.0.0.1; $cpus CPUs shared by wsserver and wsload"
echo
cat "$tmp/wsload.out"
