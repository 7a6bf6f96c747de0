# shellcheck shell=bash
# Helpers shared by the bench/ scripts. Sourced, not run.
#
# Conventions: progress and errors go to stderr (log/die), results to stdout.
# Every process a script starts is registered with track_pid so that
# cleanup_tracked (run from an EXIT trap) ends exactly those processes.

# --- logging ------------------------------------------------------------------

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
warn() { log "WARNING: $*"; }
die() { log "error: $*"; exit 1; }

# --- tools --------------------------------------------------------------------

# ensure_tools CMD:PACKAGE ...
# Installs (with apt-get, running `apt-get update` once) the Debian packages
# whose command is missing. Installs nothing when every command is present.
ensure_tools() {
	local pair cmd pkg missing=()
	for pair in "$@"; do
		cmd=${pair%%:*}
		pkg=${pair#*:}
		if ! command -v "$cmd" >/dev/null 2>&1; then
			# A package can provide several of the commands: list it once.
			[[ " ${missing[*]} " == *" $pkg "* ]] || missing+=("$pkg")
		fi
	done
	((${#missing[@]} == 0)) && return 0
	[[ $(id -u) == 0 ]] || die "missing packages: ${missing[*]} (run as root, or: sudo apt-get install -y ${missing[*]})"
	log "installing missing packages: ${missing[*]}"
	timeout 600 apt-get update -qq >&2 || die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq "${missing[@]}" >&2 ||
		die "apt-get install ${missing[*]} failed"
}

# --- processes ------------------------------------------------------------------

TRACKED_PIDS=()

track_pid() { TRACKED_PIDS+=("$1"); }

# descendants PID: prints the PIDs of all descendants of PID, one per line.
descendants() {
	local child
	for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		echo "$child"
		descendants "$child"
	done
}

# stop_pid PID [GRACE_SECONDS]: SIGTERM to PID and its descendants, then
# SIGKILL whatever is still alive after the grace period.
stop_pid() {
	local pid=$1 grace=${2:-10} all i
	kill -0 "$pid" 2>/dev/null || return 0
	all="$pid $(descendants "$pid" | tr '\n' ' ')"
	# shellcheck disable=SC2086
	kill -TERM $all 2>/dev/null || true
	for ((i = 0; i < grace * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	# shellcheck disable=SC2086
	kill -KILL $all 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

cleanup_tracked() {
	local pid
	for pid in "${TRACKED_PIDS[@]}"; do
		stop_pid "$pid" 10
	done
	TRACKED_PIDS=()
}

# rss_mb PID: resident memory of PID plus its descendants that run the same
# program (nginx master + worker; not h2o's crash-report helper), in MB.
rss_mb() {
	local pid=$1 comm kb=0 child
	comm=$(ps -o comm= -p "$pid" 2>/dev/null) || { echo "n/a"; return; }
	kb=$(ps -o rss= -p "$pid")
	for child in $(descendants "$pid"); do
		if [[ $(ps -o comm= -p "$child" 2>/dev/null) == "$comm" ]]; then
			kb=$((kb + $(ps -o rss= -p "$child" 2>/dev/null || echo 0)))
		fi
	done
	awk -v kb="$kb" 'BEGIN { printf "%.1f", kb / 1024 }'
}

# --- ports and HTTP -------------------------------------------------------------------

USED_PORTS=()

# free_port VAR: stores in VAR (a name; locals here are prefixed so they
# cannot shadow it) a loopback port that nothing listens on and
# that this script has not handed out yet. Ports stay below the kernel's
# ephemeral range so that wrk's client sockets cannot collide with them.
free_port() {
	local _fp_var=$1 _fp_port _fp_i
	for ((_fp_i = 0; _fp_i < 200; _fp_i++)); do
		_fp_port=$((20000 + RANDOM % 12000))
		[[ " ${USED_PORTS[*]} " == *" $_fp_port "* ]] && continue
		# A refused connection means the port is free.
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$_fp_port") 2>/dev/null; then
			USED_PORTS+=("$_fp_port")
			printf -v "$_fp_var" '%s' "$_fp_port"
			return 0
		fi
	done
	die "no free loopback port found"
}

# wait_http URL PID SECONDS: polls URL until it answers 2xx; fails early when
# PID dies and after SECONDS.
wait_http() {
	local url=$1 pid=$2 secs=$3 deadline
	deadline=$((SECONDS + secs))
	while ((SECONDS < deadline)); do
		kill -0 "$pid" 2>/dev/null || return 1
		curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
		sleep 0.5
	done
	return 1
}

# check_size URL BYTES: the server answers 200 with exactly BYTES bytes.
check_size() {
	local got
	got=$(curl -sS -o /dev/null --max-time 30 -w '%{http_code} %{size_download}' "$1" 2>&1) || true
	[[ $got == "200 $2" ]] || { warn "$1: expected '200 $2', got '$got'"; return 1; }
}

# render TEMPLATE OUT KEY=VALUE...: copies TEMPLATE to OUT replacing @KEY@.
render() {
	local template=$1 out=$2 kv args=()
	shift 2
	for kv in "$@"; do
		args+=(-e "s|@${kv%%=*}@|${kv#*=}|g")
	done
	sed "${args[@]}" "$template" >"$out"
}

# --- numbers -------------------------------------------------------------------------

# parse_wrk FILE: prints "REQ_PER_SEC P99_MS ERRORS" from a `wrk --latency`
# report. P99 is normalised to milliseconds; ERRORS counts socket errors plus
# non-2xx/3xx responses (0 when wrk printed neither line).
parse_wrk() {
	awk '
		function ms(v,   n, u) {
			n = v; sub(/[a-z]+$/, "", n)
			u = v; sub(/^[0-9.]+/, "", u)
			if (u == "us") return n / 1000
			if (u == "ms") return n + 0
			if (u == "s")  return n * 1000
			if (u == "m")  return n * 60000
			if (u == "h")  return n * 3600000
			return -1
		}
		/^Requests\/sec:/ { rps = $2 }
		/^ +99%/ { p99 = ms($2) }
		/Non-2xx or 3xx responses:/ { errors += $NF }
		/Socket errors:/ {
			for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) { sub(/,/, "", $i); errors += $i }
		}
		END {
			if (rps == "" || p99 == "") { print "n/a n/a n/a"; exit }
			printf "%s %.3f %d\n", rps, p99, errors
		}' "$1"
}

# median NUMBER...: median of the numbers (mean of the two middle ones for an
# even count); "n/a" when there are none.
median() {
	(($# == 0)) && { echo "n/a"; return; }
	printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END {
		if (NR % 2) printf "%.3f\n", a[(NR + 1) / 2]
		else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# ratio A B: A / B with two decimals, "n/a" unless both are positive numbers.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b + 0 == 0) print "n/a"
		else printf "%.2f\n", a / b }'
}

# fmt_int N / fmt_ms N: table cells.
fmt_int() { [[ $1 == n/a ]] && echo "n/a" || LC_ALL=C printf '%.0f\n' "$1"; }
fmt_ms() { [[ $1 == n/a ]] && echo "n/a" || LC_ALL=C printf '%.2f ms\n' "$1"; }
