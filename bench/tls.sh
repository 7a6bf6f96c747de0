#!/usr/bin/env bash
# bench/tls.sh - static files over TLS: Capuchin against nginx and h2o.
#
# Method (as bench/static.sh): every server pinned to one core with one worker,
# the load generator on the other core, everything on 127.0.0.1; each server is
# warmed up, then Capuchin and each peer are measured alternately and the
# medians compared as a ratio. One ECDSA P-256 certificate for all servers.
#
# Rows:
#   https-1k      wrk -t1 -c64 over HTTPS/1.1, 1 KiB file
#   https-100k    wrk -t1 -c64 over HTTPS/1.1, 100 KiB file
#   h2-1k         h2load -c16 -m10 (h2 by ALPN), 1 KiB file
#   handshakes    wrk -t1 -c64 with `Connection: close`, 1 KiB file: one full
#                 handshake per request (wrk does not resume sessions)
#
# Usage: bench/tls.sh [--build] [--quick]
#   --build   build the jar first (./mvnw -B -DskipTests package)
#   --quick   smoke run: WARMUP=5 DURATION=3 ROUNDS=1 SETTLE=0 (unless set)
#
# Environment (defaults in brackets):
#   WARMUP [40]        seconds of load per server before measuring
#   DURATION [10]      seconds per measured run
#   ROUNDS [2]         alternations per (row, peer)
#   SETTLE [1]         unmeasured alternations per row before the measured ones
#   ROWS ["https-1k https-100k h2-1k handshakes"]  the rows to measure
#   PEERS ["nginx h2o"]
#   CAPUCHIN_ARGS []   extra arguments for Capuchin, e.g.
#                      "--capuchin.server.tls.engine=jdk"
#   SERVER_CPU [1], LOAD_CPU [0]
#   PAUSE [1]          seconds of rest between two runs
#   JAVA [java]
#   CAPUCHIN_JAR [platform-app/target/capuchin.jar]
#   KEEP_TMP [0]       1: keep the temp dir (configs, logs, load-generator output)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$REPO_ROOT"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BENCH_DIR/lib.sh"
export PATH="$PATH:/usr/sbin:/sbin"

JAR=${CAPUCHIN_JAR:-platform-app/target/capuchin.jar}
KNOWN_PEERS="nginx h2o"
read -r -a ROWS <<<"${ROWS:-https-1k https-100k h2-1k handshakes}"
declare -A FILE_BYTES=([1k.bin]=1024 [100k.bin]=102400)

parse_bench_options "$@"
if ((QUICK)); then
	WARMUP=${WARMUP:-5} DURATION=${DURATION:-3} ROUNDS=${ROUNDS:-1} SETTLE=${SETTLE:-0}
fi
WARMUP=${WARMUP:-40}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-2}
SETTLE=${SETTLE:-1}
PEERS=${PEERS-nginx h2o}
CAPUCHIN_ARGS=${CAPUCHIN_ARGS:-}
SERVER_CPU=${SERVER_CPU:-1}
LOAD_CPU=${LOAD_CPU:-0}
PAUSE=${PAUSE:-1}
JAVA=${JAVA:-java}
for p in $PEERS; do
	[[ " $KNOWN_PEERS " == *" $p "* ]] || die "PEERS: unknown peer '$p' (known: $KNOWN_PEERS)"
done

tools=(wrk:wrk h2load:nghttp2-client taskset:util-linux curl:curl openssl:openssl)
for p in $PEERS; do tools+=("$p:$p"); done
ensure_tools "${tools[@]}"
taskset -c "$SERVER_CPU" true 2>/dev/null && taskset -c "$LOAD_CPU" true 2>/dev/null ||
	die "cannot pin to CPUs $SERVER_CPU and $LOAD_CPU (nproc: $(nproc)); set SERVER_CPU / LOAD_CPU"

require_jar "$BUILD" "$JAR" "$JAVA"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/capuchin-tls.XXXXXX")
chmod 755 "$WORK"
mkdir -p "$WORK/load"
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
for f in "${!FILE_BYTES[@]}"; do head -c "${FILE_BYTES[$f]}" /dev/urandom >"$ROOT/$f"; done
chmod 755 "$ROOT"
chmod 644 "$ROOT"/*

# One certificate for every server; world-readable, as h2o drops to `nobody`.
CERT=$WORK/cert.pem
KEY=$WORK/key.pem
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
	-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$KEY" -out "$CERT" 2>/dev/null ||
	die "openssl could not make a certificate"
chmod 644 "$CERT" "$KEY"

declare -A PORT PID LOGS
SERVERS=()

serves_all() {
	local f
	for f in "${!FILE_BYTES[@]}"; do
		check_size_tls "https://127.0.0.1:${PORT[$1]}/$f" "${FILE_BYTES[$f]}" || return 1
	done
}

check_size_tls() {
	local got
	got=$(curl -ksS -o /dev/null --max-time 30 -w '%{http_code} %{size_download}' "$1" 2>&1) || true
	[[ $got == "200 $2" ]] || { warn "$1: expected '200 $2', got '$got'"; return 1; }
}

wait_https() {
	local url=$1 pid=$2 secs=$3 deadline=$((SECONDS + $3))
	while ((SECONDS < deadline)); do
		kill -0 "$pid" 2>/dev/null || return 1
		curl -kfsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
		sleep 0.5
	done
	return 1
}

show_logs() {
	local file
	for file in ${LOGS[$1]}; do
		[[ -s $file ]] || continue
		log "--- $file (last 40 lines)"
		tail -n 40 "$file" >&2
	done
}

start_capuchin() {
	local dir=$WORK/capuchin port control extra=()
	mkdir -p "$dir/sites"
	free_port port
	free_port control
	PORT[capuchin]=$port
	cat >"$dir/sites/bench.yml" <<-SITE
		name: bench
		server-names: [localhost]
		default: true
		document-root: $ROOT
	SITE
	read -ra extra <<<"$CAPUCHIN_ARGS"
	CAPUCHIN_CMD=(taskset -c "$SERVER_CPU" "$JAVA" -XX:+UseParallelGC -Xms256m -Xmx256m -XX:ActiveProcessorCount=1
		-jar "$JAR" --spring.config.location=classpath:/
		"--capuchin.server.listeners[0].address=127.0.0.1:$port"
		"--capuchin.server.listeners[0].tls.certificate=$CERT"
		"--capuchin.server.listeners[0].tls.private-key=$KEY"
		"--capuchin.server.listeners[0].http2=true"
		--capuchin.server.workers=1
		--capuchin.server.limits.max-requests-per-connection=1000000
		"--capuchin.sites-dir=$dir/sites"
		"--spring.datasource.url=jdbc:h2:file:$dir/store"
		"--server.port=$control" --server.address=127.0.0.1
		"${extra[@]}")
	log "starting capuchin on 127.0.0.1:$port: ${CAPUCHIN_CMD[*]}"
	LOGS[capuchin]=$dir/server.log
	"${CAPUCHIN_CMD[@]}" >"$dir/server.log" 2>&1 &
	PID[capuchin]=$!
	track_pid "${PID[capuchin]}"
	wait_https "https://127.0.0.1:$port/1k.bin" "${PID[capuchin]}" 180 && serves_all capuchin ||
		{ show_logs capuchin; die "capuchin did not serve over TLS within 180 s"; }
	grep -m1 'TLS engine' "$dir/server.log" >&2 || true
	SERVERS+=(capuchin)
}

start_peer() {
	local name=$1 dir=$WORK/$1 port cmd pid
	mkdir -p "$dir"
	free_port port
	local vars=("DIR=$dir" "PORT=$port" "ROOT=$ROOT" "CERT=$CERT" "KEY=$KEY")
	case $name in
	nginx)
		render "$BENCH_DIR/conf/nginx-tls.conf" "$dir/nginx.conf" "${vars[@]}"
		cmd=(nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log")
		;;
	h2o)
		render "$BENCH_DIR/conf/h2o-tls.yaml" "$dir/h2o.yaml" "${vars[@]}"
		cmd=(h2o -c "$dir/h2o.yaml")
		;;
	esac
	log "starting $name on 127.0.0.1:$port"
	LOGS[$name]="$dir/error.log $dir/stdout.log"
	taskset -c "$SERVER_CPU" "${cmd[@]}" >"$dir/stdout.log" 2>&1 &
	pid=$!
	track_pid "$pid"
	PORT[$name]=$port
	PID[$name]=$pid
	if wait_https "https://127.0.0.1:$port/1k.bin" "$pid" 15 && serves_all "$name"; then
		SERVERS+=("$name")
		return 0
	fi
	warn "$name did not come up: skipping it"
	show_logs "$name"
	stop_pid "$pid" 5
	return 1
}

start_capuchin
for p in $PEERS; do start_peer "$p" || true; done

# parse_h2load FILE: prints "REQ_PER_SEC n/a ERRORS" from an h2load report.
parse_h2load() {
	awk '
		/^finished in/ { for (i = 1; i <= NF; i++) if ($i ~ /req\/s/) { rps = $(i - 1) } }
		/^requests:/ { for (i = 1; i <= NF; i++) { if ($(i + 1) ~ /^failed/) failed = $i; if ($(i + 1) ~ /^errored/) errored = $i } }
		END { if (rps == "") { print "n/a n/a n/a"; exit } printf "%s n/a %d\n", rps, failed + errored }' "$1"
}

RUN_NO=0
# run_row NAME ROW SECONDS TAG: one load run; prints "REQ_PER_SEC P99_MS ERRORS".
run_row() {
	local name=$1 row=$2 secs=$3 tag=$4 out url=https://127.0.0.1:${PORT[$1]}
	RUN_NO=$((RUN_NO + 1))
	out=$WORK/load/$(printf %03d "$RUN_NO")-$tag-$name-$row.txt
	kill -0 "${PID[$name]}" 2>/dev/null || { echo "n/a n/a n/a"; return; }
	case $row in
	https-1k) taskset -c "$LOAD_CPU" wrk -t1 -c64 "-d${secs}s" --latency "$url/1k.bin" >"$out" 2>&1 || true ;;
	https-100k) taskset -c "$LOAD_CPU" wrk -t1 -c64 "-d${secs}s" --latency "$url/100k.bin" >"$out" 2>&1 || true ;;
	handshakes)
		taskset -c "$LOAD_CPU" wrk -t1 -c64 "-d${secs}s" --latency -H 'Connection: close' "$url/1k.bin" \
			>"$out" 2>&1 || true
		;;
	h2-1k)
		taskset -c "$LOAD_CPU" h2load -c16 -m10 -D "$secs" "$url/1k.bin" >"$out" 2>&1 || true
		parse_h2load "$out"
		sleep "$PAUSE"
		return
		;;
	esac
	parse_wrk "$out"
	sleep "$PAUSE"
}

for name in "${SERVERS[@]}"; do
	log "warming up $name for ${WARMUP}s"
	for row in "${ROWS[@]}"; do run_row "$name" "$row" $((WARMUP / ${#ROWS[@]} + 1)) warmup >/dev/null; done
done

declare -A RPS
for row in "${ROWS[@]}"; do
	# unmeasured rounds first, alternating as the measured ones: the JIT compiles each
	# row's path again when the load changes (see bench/static.sh's SETTLE), and on one
	# core a first run after a change measured half of the next one
	for ((round = 0; round < SETTLE; round++)); do
		for name in "${SERVERS[@]}"; do
			read -r rps _ _ < <(run_row "$name" "$row" "$DURATION" settle)
			log "settle $row $name: $rps req/s"
		done
	done
	for ((round = 0; round < ROUNDS; round++)); do
		for name in "${SERVERS[@]}"; do
			read -r rps _ errors < <(run_row "$name" "$row" "$DURATION" measure)
			log "$row $name: $rps req/s ($errors errors)"
			RPS[$row|$name]+="$rps "
		done
	done
done

med() { median ${RPS[$1|$2]//n\/a/}; }
{
	echo "| row | Capuchin | nginx | h2o | Capuchin / nginx | Capuchin / h2o |"
	echo "|---|---|---|---|---|---|"
	for row in "${ROWS[@]}"; do
		cap=$(med "$row" capuchin)
		ngx=n/a h2=n/a
		[[ -n ${RPS[$row|nginx]:-} ]] && ngx=$(med "$row" nginx)
		[[ -n ${RPS[$row|h2o]:-} ]] && h2=$(med "$row" h2o)
		echo "| $row | $(fmt_int "$cap") | $(fmt_int "$ngx") | $(fmt_int "$h2") | $(ratio "$cap" "$ngx") | $(ratio "$cap" "$h2") |"
	done
	echo
	echo "req/s, medians of $ROUNDS runs of ${DURATION}s each; server on CPU $SERVER_CPU, load on CPU $LOAD_CPU."
	echo "Capuchin: ${CAPUCHIN_CMD[*]}"
}
