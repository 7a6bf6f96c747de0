#!/usr/bin/env bash
# bench/cgi.sh - CGI and FastCGI: Capuchin's plugin-cgi beside lighttpd's mod_cgi (the
# same hello-world script for both), and plugin-fastcgi beside nginx's fastcgi_pass on
# one php-fpm pool (bench/fastcgi.sh, sourced here).
#
# Method (as bench/static.sh): every server is pinned to one core with one worker,
# the load generator to the other core; each server is warmed up, then Capuchin and
# the peer are measured alternately (A, B, A, B...) and the medians are compared as a
# ratio. Everything listens on 127.0.0.1 only.
#
# Warm-up: 120 s of load per server by default. With 30 s, Capuchin (one core, so one JIT
# compiler thread sharing it with the work) was still compiling through the measured
# rounds: FastCGI rose 1,296 -> 3,581 -> 4,436 req/s from round to round, +24 % even
# between rounds 2 and 3, after 50 s of load of its own; a curve still rising by a
# quarter at 50 s is not flat before twice that, hence 120 s. A server whose measured
# rounds still differ by more than STEADY_SPREAD % (highest / lowest - 1) is reported as
# "not steady" under the table, with its rounds, and its row is marked: its median is
# then no measure of the server. A CGI request forks and executes a
# script, so the rates are a few thousand per second, bound by the kernel's
# fork/exec more than by either server; the ratio says what each server adds.
#
# Usage: bench/cgi.sh [--build] [--quick] [--only cgi|fastcgi]
#   --build   build the jar first (./mvnw -B -DskipTests package)
#   --quick   smoke run: WARMUP=5 DURATION=3 ROUNDS=1 (unless set)
#   --only    run one half: cgi or fastcgi (default: both)
#
# Environment (defaults in brackets):
#   WARMUP [120]        seconds of load per server before measuring (see Warm-up above)
#   STEADY_SPREAD [15]  % by which one server's rounds may differ before "not steady"
#   DURATION [10]       seconds per measured wrk run
#   ROUNDS [3]          alternations per peer
#   CONNECTIONS [16]    wrk connections (each holds a script running at most)
#   SERVER_CPU [1], LOAD_CPU [0]   cores for the servers and for wrk
#   PAUSE [1]           seconds of rest between two runs
#   JAVA [java]         the java binary
#   CAPUCHIN_JAR [platform-app/target/capuchin.jar]
#   KEEP_TMP [0]        1: keep the temp dir (configs, logs, wrk output)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$REPO_ROOT"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BENCH_DIR/lib.sh"
export PATH="$PATH:/usr/sbin:/sbin"

JAR=${CAPUCHIN_JAR:-platform-app/target/capuchin.jar}

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

BUILD=0
QUICK=0
ONLY=both
while (($#)); do
	case $1 in
	--build) BUILD=1 ;;
	--quick) QUICK=1 ;;
	--only)
		ONLY=${2:-}
		[[ $ONLY == cgi || $ONLY == fastcgi ]] || { usage >&2; exit 2; }
		shift
		;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
if ((QUICK)); then
	WARMUP=${WARMUP:-5} DURATION=${DURATION:-3} ROUNDS=${ROUNDS:-1}
fi
WARMUP=${WARMUP:-120}
STEADY_SPREAD=${STEADY_SPREAD:-15}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-16}
SERVER_CPU=${SERVER_CPU:-1}
LOAD_CPU=${LOAD_CPU:-0}
PAUSE=${PAUSE:-1}
JAVA=${JAVA:-java}
for n in WARMUP STEADY_SPREAD DURATION ROUNDS CONNECTIONS PAUSE SERVER_CPU LOAD_CPU; do
	[[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number (got '${!n}')"
done
((DURATION > 0 && ROUNDS > 0 && CONNECTIONS > 0)) || die "DURATION, ROUNDS and CONNECTIONS must be at least 1"

ensure_tools wrk:wrk taskset:util-linux setsid:util-linux ps:procps curl:curl lighttpd:lighttpd
if ! taskset -c "$SERVER_CPU" true 2>/dev/null || ! taskset -c "$LOAD_CPU" true 2>/dev/null; then
	die "cannot pin to CPUs $SERVER_CPU and $LOAD_CPU (nproc: $(nproc)); set SERVER_CPU / LOAD_CPU"
fi
if ((BUILD)); then
	log "building: ./mvnw -B -DskipTests package"
	timeout 1800 ./mvnw -B -DskipTests package >&2 || die "build failed"
fi
[[ -f $JAR ]] || die "missing $JAR: build it with ./mvnw -B -DskipTests package (or --build)"
command -v "$JAVA" >/dev/null || die "no '$JAVA' on PATH (set JAVA=/path/to/java)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/capuchin-bench-cgi.XXXXXX")
chmod 755 "$WORK"
mkdir -p "$WORK/wrk"
on_exit() {
	local rc=$?
	trap - EXIT INT TERM
	cleanup_tracked
	if [[ ${KEEP_TMP:-0} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
	exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

STAMP=$(date +%Y%m%d-%H%M%S)
RESULTS_DIR=$BENCH_DIR/results
mkdir -p "$RESULTS_DIR"
RESULT_MD=$RESULTS_DIR/cgi-$STAMP.md
RESULT_RAW=$RESULTS_DIR/cgi-$STAMP.raw.txt
: >"$RESULT_RAW"
: >"$RESULT_MD"
RUN_NO=0
LAST=""
# "not steady" lines, printed under the table; STEADY: see steady
STEADY_NOTES=()
STEADY=1
declare -A PORT PID LOGS

show_logs() {
	local file
	for file in ${LOGS[$1]}; do
		[[ -s $file ]] || continue
		log "--- $file (last 40 lines)"
		tail -n 40 "$file" >&2
	done
}

# run_load NAME PATH SECONDS TAG: one pinned wrk run; LAST holds its numbers.
run_load() {
	local name=$1 path=$2 secs=$3 tag=$4 out cmd
	RUN_NO=$((RUN_NO + 1))
	out=$WORK/wrk/$(printf %03d "$RUN_NO")-$tag-$name.txt
	if ! kill -0 "${PID[$name]}" 2>/dev/null; then
		warn "$name is no longer running: no $tag run"
		show_logs "$name"
		LAST="n/a n/a n/a"
		return
	fi
	cmd=(taskset -c "$LOAD_CPU" wrk -t1 "-c$CONNECTIONS" "-d${secs}s" --latency "http://127.0.0.1:${PORT[$name]}$path")
	echo "## $tag $name $path: ${cmd[*]}" >"$out"
	timeout -k 5 $((secs + 30)) "${cmd[@]}" >>"$out" 2>&1 || warn "wrk exited non-zero on $name"
	cat "$out" >>"$RESULT_RAW"
	LAST=$(parse_wrk "$out")
	log "$tag $name $path -> req/s p99(ms) errors: $LAST"
	sleep "$PAUSE"
}

# start_capuchin NAME SITE_YAML PROFILES: Capuchin pinned, one worker, its own store.
start_capuchin() {
	local name=$1 site=$2 profiles=$3 dir=$WORK/$1 port control check=$4
	mkdir -p "$dir/sites"
	free_port port
	free_port control
	PORT[$name]=$port
	printf '%s\n' "$site" >"$dir/sites/bench.yml"
	# the launch mechanism bin/capuchin sets on JDK 17 to 24 (see there): scripts are
	# executed directly, without the JDK's jspawnhelper in between
	local launch=()
	"$JAVA" -XshowSettings:properties -version 2>&1 | grep -qE 'java\.specification\.version = (1[7-9]|2[0-4])$' &&
		launch=(-Djdk.lang.Process.launchMechanism=VFORK)
	local cmd=(taskset -c "$SERVER_CPU" "$JAVA" -XX:+UseParallelGC -Xms256m -Xmx256m -XX:ActiveProcessorCount=1
		"${launch[@]}" -jar "$JAR" --spring.config.location=classpath:/,file:config/ "--spring.profiles.active=$profiles"
		"--capuchin.server.listeners[0].address=127.0.0.1:$port"
		--capuchin.server.workers=1
		--capuchin.server.limits.max-requests-per-connection=1000000
		"--capuchin.sites-dir=$dir/sites"
		"--spring.datasource.url=jdbc:h2:file:$dir/store"
		"--server.port=$control" --server.address=127.0.0.1)
	log "starting $name on 127.0.0.1:$port: ${cmd[*]}"
	LOGS[$name]=$dir/server.log
	"${cmd[@]}" >"$dir/server.log" 2>&1 &
	PID[$name]=$!
	track_pid "${PID[$name]}"
	wait_http "http://127.0.0.1:$port$check" "${PID[$name]}" 180 || { show_logs "$name"; die "$name did not answer $check"; }
}

# start_lighttpd NAME TEMPLATE ROOT CHECK: lighttpd pinned, from bench/conf/TEMPLATE.
start_lighttpd() {
	local name=$1 template=$2 root=$3 check=$4 dir=$WORK/$1 port
	mkdir -p "$dir"
	free_port port
	PORT[$name]=$port
	render "$BENCH_DIR/conf/$template" "$dir/lighttpd.conf" "DIR=$dir" "PORT=$port" "ROOT=$root"
	log "starting $name on 127.0.0.1:$port"
	LOGS[$name]="$dir/error.log $dir/stdout.log"
	taskset -c "$SERVER_CPU" lighttpd -D -f "$dir/lighttpd.conf" >"$dir/stdout.log" 2>&1 &
	PID[$name]=$!
	track_pid "${PID[$name]}"
	wait_http "http://127.0.0.1:$port$check" "${PID[$name]}" 15 || { show_logs "$name"; die "$name did not answer $check"; }
}

# spread RPS...: how far apart the rounds are, in % (highest / lowest - 1); "n/a" for
# fewer than two rounds, "inf" when one round served nothing.
spread() {
	(($# < 2)) && { echo "n/a"; return; }
	printf '%s\n' "$@" | awk 'NR == 1 || $1 < lo { lo = $1 } NR == 1 || $1 > hi { hi = $1 }
		END { if (lo <= 0) print "inf"; else printf "%.0f\n", (hi / lo - 1) * 100 }'
}

# steady NAME RPS...: STEADY is 1 when the rounds of NAME differ by at most
# STEADY_SPREAD %; else 0, and a "not steady" note with the rounds is recorded.
steady() {
	local name=$1 s
	shift
	STEADY=1
	s=$(spread "$@")
	[[ $s == n/a ]] && return 0
	if [[ $s == inf ]] || ((s > STEADY_SPREAD)); then
		STEADY=0
		STEADY_NOTES+=("- (!) not steady: $name, rounds of $(printf '%s, ' "$@" | sed 's/, $//') req/s differ by $s % (more than $STEADY_SPREAD %): its median is no measure; warm up longer (WARMUP) or measure on a quieter machine")
	fi
	return 0
}

# compare TITLE PATH A B: warm both up, then ROUNDS alternating measured runs; appends
# one table row (medians, ratio A / B) to the report, marked when a server's rounds
# were not steady (see steady).
compare() {
	local title=$1 path=$2 a=$3 b=$4 r a_rps=() b_rps=() a_p99=() b_p99=() errs=0 rps p99 e
	for s in "$a" "$b"; do
		((WARMUP > 0)) && run_load "$s" "$path" "$WARMUP" warmup
	done
	for ((r = 1; r <= ROUNDS; r++)); do
		run_load "$a" "$path" "$DURATION" measure
		read -r rps p99 e <<<"$LAST"
		[[ $rps == n/a ]] || { a_rps+=("$rps"); a_p99+=("$p99"); errs=$((errs + e)); }
		run_load "$b" "$path" "$DURATION" measure
		read -r rps p99 e <<<"$LAST"
		[[ $rps == n/a ]] || { b_rps+=("$rps"); b_p99+=("$p99"); errs=$((errs + e)); }
	done
	local am bm unsteady=""
	am=$(median "${a_rps[@]}")
	bm=$(median "${b_rps[@]}")
	steady "$a" "${a_rps[@]}"
	((STEADY)) || unsteady+=" (!) $a not steady"
	steady "$b" "${b_rps[@]}"
	((STEADY)) || unsteady+=" (!) $b not steady"
	echo "| $title | $(fmt_int "$am") | $(fmt_int "$bm") | $(ratio "$am" "$bm") | $(fmt_ms "$(median "${a_p99[@]}")") | $(fmt_ms "$(median "${b_p99[@]}")") |$( ((errs > 0)) && echo " (!) errors, see $(basename "$RESULT_RAW")")$unsteady" >>"$RESULT_MD"
}

# --- CGI: Capuchin's plugin-cgi beside lighttpd's mod_cgi -------------------------------------

bench_cgi() {
	local root=$WORK/cgi-htdocs
	mkdir -p "$root/cgi-bin"
	# the smallest honest CGI script: dash, one printf, no fork of its own
	cat >"$root/cgi-bin/hello.sh" <<-'SCRIPT'
		#!/bin/sh
		printf 'Content-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, world\n'
	SCRIPT
	chmod 755 "$root" "$root/cgi-bin" "$root/cgi-bin/hello.sh"
	start_capuchin capuchin-cgi "$(printf '%s\n' 'name: bench' 'server-names: [localhost]' 'default: true' \
		"document-root: $root" 'cgi: {max-concurrent: 64}' 'locations:' '  - path: /cgi-bin/' '    cgi: {}')" \
		cgi /cgi-bin/hello.sh
	start_lighttpd lighttpd-cgi lighttpd-cgi.conf "$root" /cgi-bin/hello.sh
	check_size "http://127.0.0.1:${PORT[capuchin-cgi]}/cgi-bin/hello.sh" 13 || die "capuchin-cgi: wrong answer"
	check_size "http://127.0.0.1:${PORT[lighttpd-cgi]}/cgi-bin/hello.sh" 13 || die "lighttpd-cgi: wrong answer"
	compare "hello-world CGI (sh), lighttpd $(dpkg-query -W -f='${Version}' lighttpd 2>/dev/null || echo '?') mod_cgi" \
		/cgi-bin/hello.sh capuchin-cgi lighttpd-cgi
	echo "| RSS after the runs | $(rss_mb "${PID[capuchin-cgi]}") MB | $(rss_mb "${PID[lighttpd-cgi]}") MB | | | |" >>"$RESULT_MD"
	stop_pid "${PID[capuchin-cgi]}" 10
	stop_pid "${PID[lighttpd-cgi]}" 5
}

{
	echo "# CGI and FastCGI: Capuchin and its peers"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: nproc $(nproc), $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
	echo "- Capuchin: $JAR ($(git rev-parse --short HEAD 2>/dev/null || echo 'no commit')), $("$JAVA" -version 2>&1 | head -1)"
	echo "- load: \`taskset -c $LOAD_CPU wrk -t1 -c$CONNECTIONS -d${DURATION}s --latency\`; every server pinned with \`taskset -c $SERVER_CPU\`, one worker"
	echo "- method: ${WARMUP} s warm-up per server, then $ROUNDS round(s) alternating Capuchin and peer; medians; ratio = Capuchin / peer"
	echo
	echo "| workload | Capuchin req/s | peer req/s | ratio | Capuchin p99 | peer p99 |"
	echo "|---|---|---|---|---|---|"
} >>"$RESULT_MD"

# shellcheck source-path=SCRIPTDIR source=fastcgi.sh
source "$BENCH_DIR/fastcgi.sh"
[[ $ONLY == fastcgi ]] || bench_cgi
[[ $ONLY == cgi ]] || bench_fastcgi

if ((${#STEADY_NOTES[@]})); then
	{
		echo
		printf '%s\n' "${STEADY_NOTES[@]}"
	} >>"$RESULT_MD"
fi

cat "$RESULT_MD"
log "wrote $RESULT_MD (raw wrk output: $RESULT_RAW)"
