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
	install_packages "${missing[@]}"
}

# install_packages PACKAGE ...: installs the Debian packages with apt-get (as root,
# running `apt-get update` first); nothing without arguments.
install_packages() {
	(($# == 0)) && return 0
	[[ $(id -u) == 0 ]] || die "missing packages: $* (run as root, or: sudo apt-get install -y $*)"
	log "installing missing packages: $*"
	timeout 600 apt-get update -qq >&2 || die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq "$@" >&2 ||
		die "apt-get install $* failed"
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

# server_pid PID: the server behind PID. A server started in the background through a
# shell function (`pinned CPU nginx ... &`) has the function's subshell as its `$!`, and
# the server is that subshell's child.
server_pid() {
	local pid=$1 comm child
	while comm=$(ps -o comm= -p "$pid" 2>/dev/null) && [[ $comm == bash || $comm == sh ]]; do
		child=$(pgrep -P "$pid" | head -1)
		[[ -n $child ]] || break
		pid=$child
	done
	echo "$pid"
}

# rss_mb PID: resident memory of the server PID stands for (server_pid) plus its
# descendants that run the same program (nginx master + worker; not h2o's crash-report
# helper), in MB.
rss_mb() {
	local pid comm kb=0 child
	pid=$(server_pid "$1")
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

# --- options, the jar, pinning and Capuchin (shared by the scripts' start-up) -----------

# bench_usage: prints the calling script's header comment (line 2 up to `set -euo`).
bench_usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

# parse_bench_options ARG...: the options every script takes: --build (BUILD=1), --quick
# (QUICK=1), -h/--help. Anything else prints the usage and exits 2.
parse_bench_options() {
	BUILD=0
	QUICK=0
	while (($#)); do
		case $1 in
		--build) BUILD=1 ;;
		--quick) QUICK=1 ;;
		-h | --help) bench_usage; exit 0 ;;
		*) bench_usage >&2; exit 2 ;;
		esac
		shift
	done
}

# require_jar BUILD JAR JAVA: builds the jar first when BUILD is 1, then checks that JAR
# exists and JAVA runs.
require_jar() {
	local build=$1 jar=$2 java=$3 cmd
	if ((build)); then
		if [[ -x ./mvnw ]]; then cmd=(./mvnw -B -DskipTests package); else cmd=(mvn -B -DskipTests package); fi
		log "building: ${cmd[*]}"
		timeout 1800 "${cmd[@]}" >&2 || die "build failed"
	fi
	[[ -f $jar ]] || die "missing $jar: build it with ./mvnw -B -DskipTests package (or --build)"
	command -v "$java" >/dev/null || die "no '$java' on PATH (set JAVA=/path/to/java)"
}

# check_pinning SERVER_CPU LOAD_CPU: both CPUs exist and taskset can pin to them.
check_pinning() {
	local server=$1 load=$2
	[[ $server =~ ^[0-9]+$ && $load =~ ^[0-9]+$ ]] || die "SERVER_CPU and LOAD_CPU must be CPU numbers"
	if ! taskset -c "$server" true 2>/dev/null || ! taskset -c "$load" true 2>/dev/null; then
		die "cannot pin to CPUs $server and $load (nproc: $(nproc)); set SERVER_CPU / LOAD_CPU"
	fi
	((server != load)) || warn "server and load generator share CPU $server"
}

# pinned CPU CMD...: runs CMD pinned to CPU, or unpinned when CPU is empty.
pinned() {
	local cpu=$1
	shift
	if [[ -n $cpu ]]; then taskset -c "$cpu" "$@"; else "$@"; fi
}

# start_capuchin_server NAME DIR ROOT JAR JAVA CPU [ARG...]: starts the jar pinned to CPU
# (none when empty) with a default site on ROOT, a listener on a free loopback port and a
# store of its own under DIR, then waits up to 180 s for /1k.bin. Sets PID[NAME],
# PORT[NAME] and LOG[NAME] (associative arrays the script declares) and CAPUCHIN_CMD;
# extra ARGs go last, so they win.
start_capuchin_server() {
	local name=$1 dir=$2 root=$3 jar=$4 java=$5 cpu=$6 port control
	shift 6
	mkdir -p "$dir/sites"
	free_port port
	free_port control
	cat >"$dir/sites/bench.yml" <<-EOF
		name: bench
		server-names: [localhost]
		default: true
		document-root: $root
	EOF
	CAPUCHIN_CMD=("$java" -XX:+UseParallelGC -Xms256m -Xmx256m -jar "$jar"
		"--capuchin.server.listeners[0].address=127.0.0.1:$port"
		"--capuchin.sites-dir=$dir/sites"
		"--spring.datasource.url=jdbc:h2:file:$dir/store"
		"--server.port=$control" --server.address=127.0.0.1
		"$@")
	log "starting $name on 127.0.0.1:$port${cpu:+ (CPU $cpu)}: ${CAPUCHIN_CMD[*]}"
	pinned "$cpu" "${CAPUCHIN_CMD[@]}" >"$dir/server.log" 2>&1 &
	PID[$name]=$!
	track_pid "${PID[$name]}"
	PORT[$name]=$port
	LOG[$name]=$dir/server.log
	wait_http "http://127.0.0.1:$port/1k.bin" "${PID[$name]}" 180 ||
		{ tail -n 40 "$dir/server.log" >&2; die "$name did not serve /1k.bin within 180 s"; }
}
