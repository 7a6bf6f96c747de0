#!/usr/bin/env bash
# bench/attack.sh - slow and hostile clients: a legitimate client's latency under
# slowloris, slow-body and slow-read floods, Capuchin beside nginx in one run.
#
# Method: each server serves a 1 KiB file. A legitimate client (`wrk -t1 -c16`) measures
# p99 alone (the baseline), then again while `slowhttptest` holds CONNECTIONS slow
# connections of one kind open against the same server; the table gives both p99s, their
# ratio (target: within 2x), the legitimate requests that failed (target: none) and the
# server's resident memory at the end of the attack. Each server is pinned to SERVER_CPU,
# the legitimate client and the attacker to LOAD_CPU, like the other scripts (PIN=0 runs
# everything unpinned, as the issue's first table was). Everything listens on 127.0.0.1, so
# attacker and client share one address: Capuchin's per-client connection cap is lifted
# (it would answer the legitimate client 503, as it should a real attacker's address).
#
# Usage: bench/attack.sh [--build] [--quick]
#   --build   build the jar first (./mvnw -B -DskipTests package)
#   --quick   smoke run: CONNECTIONS=1000 DURATION=5 RAMP=5 (unless set)
#
# Prerequisites: slowhttptest, wrk, nginx, curl, procps, util-linux (installed with apt-get
# as root when missing: apt-get install -y slowhttptest wrk nginx curl procps), and a descriptor
# limit above the largest CONNECTIONS plus 1024 for each process (`ulimit -n 11024`).
#
# Environment (defaults in brackets):
#   CONNECTIONS ["1000 10000"]  slow connections per attack
#   ATTACKS ["slowloris slowbody slowread"]
#   DURATION [20]      seconds of each wrk run
#   RAMP [15]          seconds the attack builds up before the measured run
#   RATE [1000]        new slow connections per second
#   PEERS ["nginx"]    servers beside Capuchin ("" for Capuchin alone)
#   SERVER_CPU [1]     the CPU each server is pinned to
#   LOAD_CPU [0]       the CPU wrk and slowhttptest are pinned to
#   PIN [1]            0: pin nothing
#   JAVA [java]        the java binary
#   CAPUCHIN_JAR [platform-app/target/capuchin.jar]
#   KEEP_TMP [0]       1: keep the temp dir (configs, logs, raw output)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$REPO_ROOT"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BENCH_DIR/lib.sh"
export PATH="$PATH:/usr/sbin:/sbin"

parse_bench_options "$@"
if ((QUICK)); then
	CONNECTIONS=${CONNECTIONS:-1000} DURATION=${DURATION:-5} RAMP=${RAMP:-5}
fi
CONNECTIONS=${CONNECTIONS:-1000 10000}
ATTACKS=${ATTACKS:-slowloris slowbody slowread}
DURATION=${DURATION:-20}
RAMP=${RAMP:-15}
RATE=${RATE:-1000}
PEERS=${PEERS-nginx}
JAVA=${JAVA:-java}
JAR=${CAPUCHIN_JAR:-platform-app/target/capuchin.jar}
SERVER_CPU=${SERVER_CPU:-1}
LOAD_CPU=${LOAD_CPU:-0}
PIN=${PIN:-1}

for n in DURATION RAMP RATE; do
	[[ ${!n} =~ ^[0-9]+$ && ${!n} -gt 0 ]] || die "$n must be a positive whole number (got '${!n}')"
done
max_connections=0
for c in $CONNECTIONS; do
	[[ $c =~ ^[0-9]+$ && $c -gt 0 ]] || die "CONNECTIONS: '$c' is not a positive whole number"
	((c > max_connections)) && max_connections=$c
done
for a in $ATTACKS; do
	[[ " slowloris slowbody slowread " == *" $a "* ]] || die "ATTACKS: unknown attack '$a'"
done
for p in $PEERS; do
	[[ $p == nginx ]] || die "PEERS: unknown peer '$p' (known: nginx)"
done

tools=(slowhttptest:slowhttptest wrk:wrk curl:curl ps:procps taskset:util-linux)
[[ -n ${PEERS// /} ]] && tools+=(nginx:nginx)
ensure_tools "${tools[@]}"

# every slow connection costs a descriptor in the server and one in slowhttptest: the
# limit is per process, so each needs the connections and some more (wrk, the JVM's own)
needed=$((max_connections + 1024))
ulimit -n "$needed" 2>/dev/null || true
(($(ulimit -n) >= needed)) || die "descriptor limit $(ulimit -n) is below $needed: raise it (ulimit -n $needed)"

if [[ $PIN == 1 ]]; then
	check_pinning "$SERVER_CPU" "$LOAD_CPU"
else
	SERVER_CPU='' LOAD_CPU=''
fi
require_jar "$BUILD" "$JAR" "$JAVA"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/capuchin-attack.XXXXXX")
chmod 755 "$WORK"
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

ROOT=$WORK/htdocs
mkdir -p "$ROOT"
head -c 1024 /dev/urandom >"$ROOT/1k.bin"
chmod 755 "$ROOT"
chmod 644 "$ROOT/1k.bin"

declare -A PORT PID LOG
SERVERS=()

start_capuchin() {
	start_capuchin_server capuchin "$WORK/capuchin" "$ROOT" "$JAR" "$JAVA" "$SERVER_CPU" \
		"--capuchin.server.limits.max-connections=$needed" \
		"--capuchin.server.limits.max-connections-per-client=$needed"
	SERVERS+=(capuchin)
}

start_nginx() {
	local dir=$WORK/nginx port
	mkdir -p "$dir"
	free_port port
	render "$BENCH_DIR/conf/nginx-attack.conf" "$dir/nginx.conf" "DIR=$dir" "PORT=$port" "ROOT=$ROOT" \
		"CONNECTIONS=$needed"
	log "starting nginx on 127.0.0.1:$port${SERVER_CPU:+ (CPU $SERVER_CPU)}"
	pinned "$SERVER_CPU" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/stdout.log" 2>&1 &
	PID[nginx]=$!
	track_pid "${PID[nginx]}"
	PORT[nginx]=$port
	LOG[nginx]=$dir/error.log
	if wait_http "http://127.0.0.1:$port/1k.bin" "${PID[nginx]}" 15; then
		SERVERS+=(nginx)
	else
		warn "nginx did not come up: skipping it"
		tail -n 40 "$dir/error.log" >&2 || true
	fi
}

start_capuchin
for p in $PEERS; do start_nginx; done

# legit NAME TAG: one wrk run of the legitimate client; prints "P99_MS ERRORS".
legit() {
	local name=$1 tag=$2 out
	out=$WORK/wrk-$name-$tag.txt
	pinned "$LOAD_CPU" timeout -k 5 $((DURATION + 30)) wrk -t1 -c16 "-d${DURATION}s" --latency \
		"http://127.0.0.1:${PORT[$name]}/1k.bin" >"$out" 2>&1 || warn "wrk exited non-zero ($out)"
	read -r _ p99 errors < <(parse_wrk "$out")
	echo "$p99 $errors"
}

# attack KIND CONNECTIONS NAME: starts slowhttptest against NAME in the background and
# prints its PID. Each attack outlasts the ramp and the measured run.
attack() {
	local kind=$1 count=$2 name=$3 length=$((RAMP + DURATION + 30)) args
	local url="http://127.0.0.1:${PORT[$name]}/1k.bin"
	case $kind in
	slowloris) args=(-H -i 10 -x 24) ;;
	slowbody) args=(-B -i 10 -s 8192 -x 10) ;;
	slowread) args=(-X -k 32 -n 5 -w 1 -y 2 -z 1) ;;
	esac
	pinned "$LOAD_CPU" slowhttptest "${args[@]}" -c "$count" -r "$RATE" -l "$length" -p 5 -u "$url" \
		>"$WORK/slowhttptest-$name-$kind-$count.txt" 2>&1 &
	echo $!
}

STAMP=$(date +%Y%m%d-%H%M%S)
RESULTS_DIR=$BENCH_DIR/results
mkdir -p "$RESULTS_DIR"
RESULT_MD=$RESULTS_DIR/attack-$STAMP.md

declare -A BASE
for s in "${SERVERS[@]}"; do
	legit "$s" warmup >/dev/null
	read -r p99 errors < <(legit "$s" baseline)
	BASE[$s]=$p99
	log "$s alone: p99 $p99 ms, $errors failed"
done

{
	echo "# Slow clients, $(date -u '+%Y-%m-%d %H:%M UTC'), nproc $(nproc), legitimate client: wrk -t1 -c16 -d${DURATION}s, $([[ -n $SERVER_CPU ]] && echo "servers on CPU $SERVER_CPU, clients on CPU $LOAD_CPU" || echo unpinned)"
	echo
	printf '| attack | slow connections |'
	for s in "${SERVERS[@]}"; do printf ' %s p99, alone → under attack | failed | RSS |' "$s"; done
	echo
	printf '|---|---|'
	for s in "${SERVERS[@]}"; do printf -- '---|---|---|'; done
	echo
} | tee "$RESULT_MD"

for kind in $ATTACKS; do
	for count in $CONNECTIONS; do
		row="| $kind | $count |"
		for s in "${SERVERS[@]}"; do
			if ! kill -0 "${PID[$s]}" 2>/dev/null; then
				row+=" n/a (stopped) | n/a | n/a |"
				continue
			fi
			attacker=$(attack "$kind" "$count" "$s")
			track_pid "$attacker"
			sleep "$RAMP"
			read -r p99 errors < <(legit "$s" "$kind-$count")
			rss=$(rss_mb "${PID[$s]}")
			stop_pid "$attacker" 5
			row+=" $(fmt_ms "${BASE[$s]}") → $(fmt_ms "$p99") ($(ratio "$p99" "${BASE[$s]}")×) | $errors | $rss MB |"
			log "$s under $count $kind: p99 $p99 ms, $errors failed, RSS $rss MB"
			# let the server close what the attack left before the next one
			sleep 5
		done
		echo "$row" | tee -a "$RESULT_MD"
	done
done
log "table written to $RESULT_MD"
