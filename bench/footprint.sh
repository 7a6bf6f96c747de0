#!/usr/bin/env bash
# bench/footprint.sh - what a node costs: memory and start time, Capuchin beside nginx.
#
# For each server, one after the other, pinned to SERVER_CPU (wrk and the idle-connection
# client on LOAD_CPU), everything on 127.0.0.1:
#   start      seconds from launching the process to the first 200 on the data plane
#   rss-start  resident memory (process and same-program children) START_SETTLE s later
#   rss-load   resident memory after LOAD seconds of 1 KiB requests (wrk -t1 -c64); the
#              run's requests per second are reported too
#   idle-cost  resident memory with IDLE keep-alive connections open and idle (each has
#              answered one request), minus resident memory before they were opened
#
# Servers: capuchin (the full node through bin/capuchin, the lean launcher, on its
# default configuration: console, store, identity, the default profile group's plugins),
# capuchin-edge (the same with --capuchin.node.role=edge, when this checkout has edge
# nodes: docs/configuration.md names the key), nginx (one worker), and with --tuned
# capuchin-tuned (the full node with bench/static.sh's JVM flags, for the throughput
# comparison the lean settings must stay within 10 % of).
#
# Usage: bench/footprint.sh [--build] [--quick] [--tuned]
#   --build   build first (./mvnw -B -DskipTests package: the jar and its CDS archive)
#   --quick   smoke run: LOAD=5 IDLE=500 START_SETTLE=2 (unless set)
#   --tuned   add capuchin-tuned
#
# Environment (defaults in brackets):
#   LOAD [60]            seconds of 1 KiB load
#   IDLE [10000]         idle keep-alive connections
#   START_SETTLE [5]     seconds between the first answer and rss-start
#   IDLE_SETTLE [5]      seconds between opening the connections and measuring
#   SERVERS ["capuchin capuchin-edge nginx"]   (capuchin-edge is skipped where absent)
#   SERVER_CPU [1], LOAD_CPU [0]
#   CAPUCHIN_HEAP, CAPUCHIN_JAVA_OPTS ...   passed to bin/capuchin (see bin/capuchin)
#   KEEP_TMP [0]         1: keep the temp dir (logs, wrk output)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$REPO_ROOT"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BENCH_DIR/lib.sh"
export PATH="$PATH:/usr/sbin:/sbin"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

BUILD=0 QUICK=0 TUNED=0
while (($#)); do
	case $1 in
	--build) BUILD=1 ;;
	--quick) QUICK=1 ;;
	--tuned) TUNED=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
if ((QUICK)); then
	LOAD=${LOAD:-5} IDLE=${IDLE:-500} START_SETTLE=${START_SETTLE:-2}
fi
LOAD=${LOAD:-60}
IDLE=${IDLE:-10000}
START_SETTLE=${START_SETTLE:-5}
IDLE_SETTLE=${IDLE_SETTLE:-5}
SERVER_CPU=${SERVER_CPU:-1}
LOAD_CPU=${LOAD_CPU:-0}
SERVERS=${SERVERS:-capuchin capuchin-edge nginx}
((TUNED)) && SERVERS="$SERVERS capuchin-tuned"
for n in LOAD IDLE START_SETTLE IDLE_SETTLE SERVER_CPU LOAD_CPU; do
	[[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number (got '${!n}')"
done

ensure_tools wrk:wrk taskset:util-linux ps:procps curl:curl python3:python3 nginx:nginx

# The client holds IDLE sockets, the server as many plus its own files.
if (($(ulimit -n) < IDLE + 1024)); then
	ulimit -n $((IDLE + 4096)) 2>/dev/null || die "open-file limit $(ulimit -n) is below IDLE + 1024 (raise it: ulimit -n)"
fi

if ((BUILD)); then
	log "building: ./mvnw -B -DskipTests package"
	timeout 1800 ./mvnw -B -DskipTests package >&2 || die "build failed"
fi
[[ -f platform-app/target/capuchin.jar ]] || die "missing platform-app/target/capuchin.jar (build it, or run with --build)"
[[ -f platform-app/target/capuchin/capuchin.jsa ]] || warn "no CDS archive (platform-app/target/capuchin/capuchin.jsa): start times without it"

# Edge nodes exist when the configuration reference names their key.
HAS_EDGE=0
grep -q 'capuchin.node.role' docs/configuration.md 2>/dev/null && HAS_EDGE=1

WORK=$(mktemp -d "${TMPDIR:-/tmp}/capuchin-footprint.XXXXXX")
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

# launch NAME: starts the server in the background; sets PID and PORT.
launch() {
	local name=$1 dir=$WORK/$1 control
	mkdir -p "$dir/sites"
	free_port PORT
	case $name in
	nginx)
		render "$BENCH_DIR/conf/nginx-static.conf" "$dir/nginx.conf" "DIR=$dir" "PORT=$PORT" "ROOT=$ROOT"
		# the idle connections need more than the static bench's 4096 connections, and a
		# keep-alive timeout longer than the measurement
		sed -i -e "s/worker_connections [0-9]*;/worker_connections $((IDLE + 1024));/" \
			-e 's/keepalive_timeout [0-9]*;/keepalive_timeout 600;/' "$dir/nginx.conf"
		taskset -c "$SERVER_CPU" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/server.log" 2>&1 &
		;;
	capuchin*)
		free_port control
		cat >"$dir/sites/bench.yml" <<-EOF
			name: bench
			server-names: [localhost]
			default: true
			document-root: $ROOT
		EOF
		local args=(
			"--capuchin.server.listeners[0].address=127.0.0.1:$PORT"
			--capuchin.server.workers=1
			"--capuchin.sites-dir=$dir/sites"
			# one store for every Capuchin node of the run, seeded before the first is measured
			# (prepare_store): a restart on an existing store is the start people wait for in a
			# deploy, and an edge node serves what a full node wrote. AUTO_SERVER lets an edge
			# node share the H2 file, as docs/scale-out.md describes for one machine.
			"--spring.datasource.url=jdbc:h2:file:$WORK/store;AUTO_SERVER=TRUE"
			"--server.port=$control" --server.address=127.0.0.1
			# every idle connection comes from 127.0.0.1 and stays longer than the default 15 s
			--capuchin.server.limits.max-connections=$((IDLE + 1024))
			--capuchin.server.limits.max-connections-per-client=$((IDLE + 1024))
			--capuchin.server.limits.keep-alive-timeout=600s
			--capuchin.server.limits.max-requests-per-connection=1000000
			# mandril's own per-client limit (on in the default profile group; 0: none)
			--capuchin.plugins.mandril.max-connections-per-ip=0
		)
		[[ $name == capuchin-edge ]] && args+=(--capuchin.node.role=edge)
		if [[ $name == capuchin-tuned ]]; then
			# bench/static.sh's JVM, on the same jar
			CAPUCHIN_CDS=off CAPUCHIN_JAVA_OPTS="-XX:+UseParallelGC -Xms256m -Xmx256m -XX:ActiveProcessorCount=1" \
				CAPUCHIN_HEAP=256m CAPUCHIN_HEAP_START=256m \
				taskset -c "$SERVER_CPU" bin/capuchin "${args[@]}" >"$dir/server.log" 2>&1 &
		else
			CAPUCHIN_ADMIN_PASSWORD=footprint-bench taskset -c "$SERVER_CPU" bin/capuchin "${args[@]}" >"$dir/server.log" 2>&1 &
		fi
		;;
	esac
	PID=$!
	track_pid "$PID"
}

# first_answer PID URL: seconds (3 decimals) until URL answers 200; "n/a" when PID died
# or after 300 s.
first_answer() {
	local pid=$1 url=$2 t0 deadline=$((SECONDS + 300))
	t0=$(date +%s%N)
	while ((SECONDS < deadline)); do
		kill -0 "$pid" 2>/dev/null || { echo "n/a"; return; }
		if curl -fs -o /dev/null --max-time 1 "$url" 2>/dev/null; then
			awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 }'
			return
		fi
		sleep 0.02
	done
	echo "n/a"
}

# prepare_store: starts a full node once on the run's empty store, so that the schema is
# created and the site imported before any start is timed, then stops it.
prepare_store() {
	launch capuchin
	local t
	t=$(first_answer "$PID" "http://127.0.0.1:$PORT/1k.bin")
	[[ $t != n/a ]] || { tail -n 30 "$WORK/capuchin/server.log" >&2; die "the store could not be prepared"; }
	log "store prepared (a first start on the empty store took $t s)"
	stop_pid "$PID" 20
	mv "$WORK/capuchin/server.log" "$WORK/capuchin/prepare.log"
}

declare -A START RSS_START RSS_LOAD RPS IDLE_COST IDLE_OPEN
RAN=()

measure() {
	local name=$1 t url client out
	launch "$name"
	url="http://127.0.0.1:$PORT/1k.bin"
	t=$(first_answer "$PID" "$url")
	if [[ $t == n/a ]]; then
		warn "$name did not answer; its log:"
		tail -n 30 "$WORK/$name/server.log" >&2 || true
		stop_pid "$PID" 10
		return
	fi
	RAN+=("$name")
	START[$name]=$t
	sleep "$START_SETTLE"
	RSS_START[$name]=$(rss_mb "$PID")
	log "$name: first answer after $t s, $(mb "${RSS_START[$name]}") resident"

	out=$WORK/$name/wrk.txt
	taskset -c "$LOAD_CPU" wrk -t1 -c64 "-d${LOAD}s" --latency "$url" >"$out" 2>&1 || warn "wrk failed on $name"
	read -r RPS[$name] _ _ <<<"$(parse_wrk "$out")"
	sleep 1
	RSS_LOAD[$name]=$(rss_mb "$PID")
	log "$name: ${RPS[$name]} req/s over $LOAD s, then $(mb "${RSS_LOAD[$name]}") resident"

	local before after
	before=$(rss_mb "$PID")
	taskset -c "$LOAD_CPU" python3 "$BENCH_DIR/idle-connections.py" 127.0.0.1 "$PORT" "$IDLE" /1k.bin 3600 \
		>"$WORK/$name/idle.txt" 2>&1 &
	client=$!
	track_pid "$client"
	local deadline=$((SECONDS + 120))
	while ((SECONDS < deadline)) && ! grep -q '^open' "$WORK/$name/idle.txt" 2>/dev/null; do
		kill -0 "$client" 2>/dev/null || break
		sleep 0.5
	done
	IDLE_OPEN[$name]=$(sed -n 's/^open \([0-9]*\).*/\1/p' "$WORK/$name/idle.txt")
	sleep "$IDLE_SETTLE"
	after=$(rss_mb "$PID")
	IDLE_COST[$name]=$(awk -v a="$after" -v b="$before" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/) printf "%.1f", a - b; else print "n/a" }')
	log "$name: ${IDLE_OPEN[$name]:-0} idle connections cost $(mb "${IDLE_COST[$name]}")"
	stop_pid "$client" 5
	stop_pid "$PID" 20
}

mb() { [[ $1 == n/a || -z $1 ]] && echo "n/a" || echo "$1 MiB"; }

[[ " $SERVERS " == *" capuchin"* ]] && prepare_store
for s in $SERVERS; do
	if [[ $s == capuchin-edge ]] && ((!HAS_EDGE)); then
		log "capuchin-edge: this checkout has no edge role (capuchin.node.role): skipped"
		continue
	fi
	measure "$s"
done
((${#RAN[@]})) || die "no server came up"

# --- report -------------------------------------------------------------------------------------

STAMP=$(date +%Y%m%d-%H%M%S)
mkdir -p "$BENCH_DIR/results"
RESULT_MD=$BENCH_DIR/results/footprint-$STAMP.md
{
	echo "# Footprint: Capuchin beside nginx"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: nproc $(nproc), $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
	echo "- Capuchin: $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(java -version 2>&1 | head -1); command: \`$(CAPUCHIN_PRINT=1 bin/capuchin)\`"
	echo "- nginx $(dpkg-query -W -f='${Version}' nginx 2>/dev/null || echo '?'); load: wrk -t1 -c64 ${LOAD}s on 1 KiB; $IDLE idle keep-alive connections"
	echo
	echo "| server | start to first answer | RSS after start | RSS after ${LOAD} s of load | req/s | cost of $IDLE idle connections |"
	echo "|---|---:|---:|---:|---:|---:|"
	for s in "${RAN[@]}"; do
		idle=$(mb "${IDLE_COST[$s]:-n/a}")
		[[ ${IDLE_OPEN[$s]:-0} == "$IDLE" ]] || idle="$idle (only ${IDLE_OPEN[$s]:-0} opened)"
		echo "| $s | ${START[$s]} s | $(mb "${RSS_START[$s]}") | $(mb "${RSS_LOAD[$s]}") | $(fmt_int "${RPS[$s]:-n/a}") | $idle |"
	done
	if [[ -n ${RPS[capuchin-tuned]:-} && -n ${RPS[capuchin]:-} ]]; then
		echo
		echo "Lean / tuned throughput: $(ratio "${RPS[capuchin]}" "${RPS[capuchin-tuned]}")"
	fi
} | tee "$RESULT_MD"
log "report: $RESULT_MD"
