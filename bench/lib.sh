# bench/lib.sh: helpers the bench scripts share. Source it after setting
# BENCH_NAME, the prefix of the scripts' messages.

# die MESSAGE prints the message and exits with status 1.
die() {
	echo "$BENCH_NAME: $*" >&2
	exit 1
}

# seconds DURATION prints the duration in seconds, or fails.
seconds() {
	[[ $1 =~ ^([0-9]+)(s|m)?$ ]] || return 1
	local n=$((10#${BASH_REMATCH[1]}))
	[[ ${BASH_REMATCH[2]} == m ]] && n=$((n * 60))
	echo "$n"
}
