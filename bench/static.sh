#!/usr/bin/env bash
# bench/static.sh - static files: Capuchin against nginx, h2o and lighttpd.
#
# Method (see BENCHMARKS.md): every server is pinned to one core with one
# worker, the load generator to the other core; each server is warmed up in
# several runs through the files, then Capuchin and each peer are measured alternately (A, B, A, B...)
# and the medians are compared as a ratio. Everything listens on 127.0.0.1 only.
#
# Usage: bench/static.sh [--build] [--quick] [--close] [--plugins]
#   --build   build the jar first (./mvnw -B -DskipTests package)
#   --plugins also run a second Capuchin with the mandril and logger plugins on
#             (profile mandril,logger, access log to a file) as a peer named
#             capuchin-plugins: its row's ratio is plain Capuchin / with plugins
#   --quick   smoke run: WARMUP=5 WARMUP_RUNS=3 SETTLE=0 DURATION=3 ROUNDS=1 (unless set)
#   --close   also measure 1k.bin with `Connection: close` (accept cost)
#
# Environment (defaults in brackets):
#   WARMUP [40]         seconds of load per server before measuring
#   WARMUP_RUNS [12]    runs the warm-up is split into, through the files in turn
#   SETTLE [2]          unmeasured rounds after the warm-up, alternating as the measured
#                       ones do (first file only, DURATION each)
#   DURATION [10]       seconds per measured wrk run
#   ROUNDS [2]          alternations per (file, peer)
#   PEERS ["nginx h2o lighttpd"]
#   FILES ["1k.bin 100k.bin 10m.bin"]
#   CAPUCHIN_ARGS []    extra arguments for Capuchin, e.g.
#                       "--spring.profiles.active=mandril,logger"
#   SKIP_CAPUCHIN [0]   1: measure the peers only (Capuchin columns "n/a")
#   SERVER_CPU [1], LOAD_CPU [0]   cores for the servers and for wrk
#   PAUSE [1]           seconds of rest between two runs
#   WRK_ARGS []         extra wrk options for every run, e.g. "--timeout 10s"
#                       (wrk counts a response slower than 2 s as a timeout)
#   JAVA [java]         the java binary
#   CAPUCHIN_JAR [platform-app/target/capuchin.jar]
#   KEEP_TMP [0]        1: keep the temp dir (configs, logs, wrk output)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$REPO_ROOT"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BENCH_DIR/lib.sh"
# nginx and lighttpd live in /usr/sbin, which a non-login PATH may lack.
export PATH="$PATH:/usr/sbin:/sbin"

JAR=${CAPUCHIN_JAR:-platform-app/target/capuchin.jar}
KNOWN_PEERS="nginx h2o lighttpd capuchin-plugins"
declare -A FILE_BYTES=([1k.bin]=1024 [100k.bin]=102400 [10m.bin]=10485760)

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

# --- options -------------------------------------------------------------------

BUILD=0
CLOSE=0
QUICK=0
PLUGINS=0
while (($#)); do
	case $1 in
	--plugins) PLUGINS=1 ;;
	--build) BUILD=1 ;;
	--quick) QUICK=1 ;;
	--close) CLOSE=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done

# --quick changes the defaults only: WARMUP, WARMUP_RUNS, DURATION or ROUNDS set in the
# environment still win.
if ((QUICK)); then
	WARMUP=${WARMUP:-5} WARMUP_RUNS=${WARMUP_RUNS:-3} SETTLE=${SETTLE:-0} DURATION=${DURATION:-3} ROUNDS=${ROUNDS:-1}
fi
WARMUP=${WARMUP:-40}
WARMUP_RUNS=${WARMUP_RUNS:-12}
SETTLE=${SETTLE:-2}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-2}
PEERS=${PEERS-nginx h2o lighttpd}
if ((PLUGINS)) && [[ " $PEERS " != *" capuchin-plugins "* ]]; then PEERS="$PEERS capuchin-plugins"; fi
FILES=${FILES:-1k.bin 100k.bin 10m.bin}
CAPUCHIN_ARGS=${CAPUCHIN_ARGS:-}
SKIP_CAPUCHIN=${SKIP_CAPUCHIN:-0}
SERVER_CPU=${SERVER_CPU:-1}
LOAD_CPU=${LOAD_CPU:-0}
PAUSE=${PAUSE:-1}
JAVA=${JAVA:-java}
WRK_ARGS=${WRK_ARGS:-}
read -ra WRK_EXTRA <<<"$WRK_ARGS"

for n in WARMUP WARMUP_RUNS SETTLE DURATION ROUNDS PAUSE SERVER_CPU LOAD_CPU; do
	[[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number (got '${!n}')"
done
((DURATION > 0 && ROUNDS > 0 && WARMUP_RUNS > 0)) || die "DURATION, ROUNDS and WARMUP_RUNS must be at least 1"
for f in $FILES; do
	[[ -n ${FILE_BYTES[$f]:-} ]] || die "FILES: unknown file '$f' (known: ${!FILE_BYTES[*]})"
done
for p in $PEERS; do
	[[ " $KNOWN_PEERS " == *" $p "* ]] || die "PEERS: unknown peer '$p' (known: $KNOWN_PEERS)"
done
[[ $SKIP_CAPUCHIN == 1 && -z ${PEERS// /} ]] && die "nothing to measure: SKIP_CAPUCHIN=1 and no PEERS"

# --- tools and the jar ----------------------------------------------------------------

tools=(wrk:wrk taskset:util-linux ps:procps curl:curl)
for p in $PEERS; do [[ $p == capuchin-plugins ]] || tools+=("$p:$p"); done
ensure_tools "${tools[@]}"

if ! taskset -c "$SERVER_CPU" true 2>/dev/null || ! taskset -c "$LOAD_CPU" true 2>/dev/null; then
	die "cannot pin to CPUs $SERVER_CPU and $LOAD_CPU (nproc: $(nproc)); set SERVER_CPU / LOAD_CPU"
fi
((SERVER_CPU != LOAD_CPU)) || warn "server and load generator share CPU $SERVER_CPU"

if ((BUILD)); then
	if [[ -x ./mvnw ]]; then build=(./mvnw -B -DskipTests package); else build=(mvn -B -DskipTests package); fi
	log "building: ${build[*]}"
	timeout 1800 "${build[@]}" >&2 || die "build failed"
fi
if [[ $SKIP_CAPUCHIN != 1 ]]; then
	if [[ ! -f $JAR ]]; then
		log "missing $JAR (in $REPO_ROOT)"
		log "build it with:  ./mvnw -B -DskipTests package   (or run this script with --build)"
		exit 1
	fi
	command -v "$JAVA" >/dev/null || die "no '$JAVA' on PATH (set JAVA=/path/to/java)"
fi

# --- temp dir, cleanup ------------------------------------------------------------------

WORK=$(mktemp -d "${TMPDIR:-/tmp}/capuchin-bench.XXXXXX")
# h2o started as root serves as `nobody`: the document root must be world-readable.
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

# --- document root --------------------------------------------------------------------------

ROOT=$WORK/htdocs
mkdir -p "$ROOT"
for f in "${!FILE_BYTES[@]}"; do
	head -c "${FILE_BYTES[$f]}" /dev/urandom >"$ROOT/$f"
done
chmod 755 "$ROOT"
chmod 644 "$ROOT"/*

# --- servers ----------------------------------------------------------------------------------

declare -A PORT PID LOGS   # by server name
CAPUCHIN_CMD=()
PLUGINS_CMD=()
SERVERS=()                 # servers that came up, in start order
PEERS_UP=()

# serves_all NAME: every file answers 200 with the right size.
serves_all() {
	local f ok=0
	for f in "${!FILE_BYTES[@]}"; do
		check_size "http://127.0.0.1:${PORT[$1]}/$f" "${FILE_BYTES[$f]}" || ok=1
	done
	return $ok
}

show_logs() {
	local file
	for file in ${LOGS[$1]}; do
		[[ -s $file ]] || continue
		log "--- $file (last 40 lines)"
		tail -n 40 "$file" >&2
	done
}

# start_capuchin NAME [ARGS...]: one Capuchin instance with a store of its own.
start_capuchin() {
	local name=$1 dir=$WORK/$1 control extra=() port
	shift
	mkdir -p "$dir/sites"
	free_port port
	PORT[$name]=$port
	free_port control
	cat >"$dir/sites/bench.yml" <<-EOF
		name: bench
		server-names: [localhost]
		default: true
		document-root: $ROOT
	EOF
	read -ra extra <<<"$CAPUCHIN_ARGS"
	local cmd=(taskset -c "$SERVER_CPU" "$JAVA" -XX:+UseParallelGC -Xms256m -Xmx256m -XX:ActiveProcessorCount=1
		-jar "$JAR"
		"--capuchin.server.listeners[0].address=127.0.0.1:$port"
		--capuchin.server.workers=1
		--capuchin.server.limits.max-requests-per-connection=1000000
		"--capuchin.sites-dir=$dir/sites"
		"--spring.datasource.url=jdbc:h2:file:$dir/store"
		"--server.port=$control" --server.address=127.0.0.1
		"$@" "${extra[@]}")
	[[ $name == capuchin ]] && CAPUCHIN_CMD=("${cmd[@]}")
	[[ $name == capuchin-plugins ]] && PLUGINS_CMD=("${cmd[@]}")
	log "starting $name on 127.0.0.1:$port: ${cmd[*]}"
	LOGS[$name]=$dir/server.log
	"${cmd[@]}" >"$dir/server.log" 2>&1 &
	PID[$name]=$!
	track_pid "${PID[$name]}"
	if ! wait_http "http://127.0.0.1:$port/1k.bin" "${PID[$name]}" 180; then
		show_logs "$name"
		die "$name did not serve /1k.bin within 180 s"
	fi
	serves_all "$name" || { show_logs "$name"; die "$name serves wrong content"; }
	SERVERS+=("$name")
}

# start_peer NAME: renders bench/conf/NAME-static.*, starts the peer pinned to
# SERVER_CPU and checks it serves every file; on failure prints its logs and
# returns 1 (the peer is skipped).
start_peer() {
	local name=$1 dir=$WORK/$1 port pid cmd
	mkdir -p "$dir"
	free_port port
	local vars=("DIR=$dir" "PORT=$port" "ROOT=$ROOT")
	case $name in
	nginx)
		render "$BENCH_DIR/conf/nginx-static.conf" "$dir/nginx.conf" "${vars[@]}"
		cmd=(nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log")
		;;
	h2o)
		render "$BENCH_DIR/conf/h2o-static.yaml" "$dir/h2o.yaml" "${vars[@]}"
		cmd=(h2o -c "$dir/h2o.yaml")
		;;
	lighttpd)
		render "$BENCH_DIR/conf/lighttpd-static.conf" "$dir/lighttpd.conf" "${vars[@]}"
		cmd=(lighttpd -D -f "$dir/lighttpd.conf")
		;;
	esac
	log "starting $name on 127.0.0.1:$port: taskset -c $SERVER_CPU ${cmd[*]}"
	LOGS[$name]="$dir/error.log $dir/stdout.log"
	taskset -c "$SERVER_CPU" "${cmd[@]}" >"$dir/stdout.log" 2>&1 &
	pid=$!
	track_pid "$pid"
	PORT[$name]=$port
	PID[$name]=$pid
	if wait_http "http://127.0.0.1:$port/1k.bin" "$pid" 15 && serves_all "$name"; then
		SERVERS+=("$name")
		PEERS_UP+=("$name")
		return 0
	fi
	warn "$name did not come up: skipping it"
	show_logs "$name"
	stop_pid "$pid" 5
	return 1
}

# The kernel alone: only the jar's built-in defaults, none of config/ (whose
# default profile group switches plugins on).
[[ $SKIP_CAPUCHIN == 1 ]] || start_capuchin capuchin --spring.config.location=classpath:/
for p in $PEERS; do
	if [[ $p == capuchin-plugins ]]; then
		start_capuchin capuchin-plugins --spring.config.location=classpath:/,file:config/ \
			--spring.profiles.active=mandril,logger \
			"--capuchin.plugins.logger.access-log=$WORK/capuchin-plugins/access.log"
		PEERS_UP+=(capuchin-plugins)
	else
		start_peer "$p" || true
	fi
done
((${#SERVERS[@]})) || die "no server came up"

# --- load ---------------------------------------------------------------------------------------

STAMP=$(date +%Y%m%d-%H%M%S)
RESULTS_DIR=$BENCH_DIR/results
mkdir -p "$RESULTS_DIR"
RESULT_MD=$RESULTS_DIR/static-$STAMP.md
RESULT_RAW=$RESULTS_DIR/static-$STAMP.raw.txt
: >"$RESULT_RAW"
RUN_NO=0
LAST=""   # "REQ_PER_SEC P99_MS ERRORS" of the latest run

# run_load NAME FILE SECONDS TAG [wrk args...]: one wrk run against a server.
run_load() {
	local name=$1 file=$2 secs=$3 tag=$4 out cmd
	shift 4
	RUN_NO=$((RUN_NO + 1))
	out=$WORK/wrk/$(printf %03d "$RUN_NO")-$tag-$name-$file.txt
	if ! kill -0 "${PID[$name]}" 2>/dev/null; then
		warn "$name is no longer running: no $tag run on $file"
		show_logs "$name"
		LAST="n/a n/a n/a"
		return
	fi
	cmd=(taskset -c "$LOAD_CPU" wrk -t1 -c64 "-d${secs}s" --latency "${WRK_EXTRA[@]}" "$@" "http://127.0.0.1:${PORT[$name]}/$file")
	echo "## $tag $name $file: ${cmd[*]}" >"$out"
	timeout -k 5 $((secs + 30)) "${cmd[@]}" >>"$out" 2>&1 || warn "wrk exited non-zero on $name $file (see $RESULT_RAW)"
	cat "$out" >>"$RESULT_RAW"
	LAST=$(parse_wrk "$out")
	log "$tag $name $file ${*:+($*) }-> req/s p99(ms) errors: $LAST"
	sleep "$PAUSE"
}

# Workloads: a file name, or FILE+close for the `Connection: close` run.
read -ra WORKLOADS <<<"$FILES"
if ((CLOSE)); then WORKLOADS+=("1k.bin+close"); fi

pairs=("${PEERS_UP[@]}")
((${#pairs[@]})) || pairs=(-)   # no peer came up: measure Capuchin alone
per_pair=$(( (SKIP_CAPUCHIN == 1 || ${#PEERS_UP[@]} == 0) ? 1 : 2 ))
total=$((WARMUP * ${#SERVERS[@]} + WARMUP_RUNS * PAUSE * ${#SERVERS[@]} + (${#WORKLOADS[@]} * ROUNDS + SETTLE) * ${#pairs[@]} * per_pair * (DURATION + PAUSE)))
log "servers up: ${SERVERS[*]}; about $((total / 60)) min $((total % 60)) s of load to go"

# The warm-up is split into WARMUP_RUNS runs that go through the workload files in
# turn: every run opens its connections afresh and closes them, so a JIT compiler has
# seen connection set-up, idle workers and each file's path (memory, file region)
# before the first measured run, instead of recompiling them during it.
warm_secs=$(( (WARMUP + WARMUP_RUNS - 1) / WARMUP_RUNS ))
for s in "${SERVERS[@]}"; do
	if ((WARMUP > 0)); then
		for ((i = 0; i < WARMUP_RUNS; i++)); do
			w=${WORKLOADS[i % ${#WORKLOADS[@]}]}
			run_load "$s" "${w%+close}" "$warm_secs" warmup
		done
	fi
done

# A JIT compiler also recompiles the event loop when load comes back after an idle
# spell longer than the warm-up's pauses: a measured run waits while a peer's runs,
# long enough for the open-file table to close its idle files. The first such returns
# deoptimize the loop, and compiling it again takes a few hundred milliseconds of the
# server's core; unmeasured rounds, alternating like the measured ones, let that happen
# before the first measured run.
for ((r = 1; r <= SETTLE; r++)); do
	w=${WORKLOADS[0]}
	for peer in "${pairs[@]}"; do
		[[ $SKIP_CAPUCHIN == 1 ]] || run_load capuchin "${w%+close}" "$DURATION" settle
		[[ $peer == - ]] || run_load "$peer" "${w%+close}" "$DURATION" settle
	done
done

declare -A RPS P99 ERRS   # key "workload|peer|server": space-separated values per run

# measure WORKLOAD PEER SERVER: one run, appended to the series.
measure() {
	local w=$1 peer=$2 s=$3 key="$1|$2|$3" args=()
	[[ $w == *+close ]] && args=(-H "Connection: close")
	run_load "$s" "${w%+close}" "$DURATION" measure "${args[@]}"
	read -r rps p99 errs <<<"$LAST"
	[[ $rps == n/a ]] && return
	RPS[$key]="${RPS[$key]:-} $rps"
	P99[$key]="${P99[$key]:-} $p99"
	ERRS[$key]=$((${ERRS[$key]:-0} + errs))
}

for w in "${WORKLOADS[@]}"; do
	for peer in "${pairs[@]}"; do
		for ((r = 1; r <= ROUNDS; r++)); do
			[[ $SKIP_CAPUCHIN == 1 ]] || measure "$w" "$peer" capuchin
			[[ $peer == - ]] || measure "$w" "$peer" "$peer"
		done
	done
done

declare -A RSS
for s in "${SERVERS[@]}"; do RSS[$s]=$(rss_mb "${PID[$s]}"); done

# --- report -----------------------------------------------------------------------------------

pkg_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "?"; }

# cell KEY KIND: median of a series as a table cell; "(!)" when wrk saw errors.
cell() {
	local key=$1 kind=$2 m
	# shellcheck disable=SC2086
	if [[ $kind == rps ]]; then m=$(median ${RPS[$key]:-}); else m=$(median ${P99[$key]:-}); fi
	if [[ $kind == rps ]]; then m=$(fmt_int "$m"); else m=$(fmt_ms "$m"); fi
	if ((${ERRS[$key]:-0} > 0)); then m="$m (!)"; fi
	echo "$m"
}
med() {
	# shellcheck disable=SC2086
	median ${RPS[$1]:-}
}
mb() { [[ $1 == n/a ]] && echo "n/a" || echo "$1 MB"; }
label() { [[ $1 == *+close ]] && echo "${1%+close} (Connection: close)" || echo "$1"; }

report() {
	local w peer ck pk cap_rss peer_rss versions=""
	for p in "${PEERS_UP[@]}"; do
		if [[ $p == capuchin-plugins ]]; then versions+=", $p (the same jar)"; else versions+=", $p $(pkg_version "$p")"; fi
	done
	echo "# Static files: Capuchin and its peers"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- machine: nproc $(nproc), $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
	if [[ $SKIP_CAPUCHIN == 1 ]]; then
		echo "- Capuchin: not run (SKIP_CAPUCHIN=1)"
	else
		echo "- Capuchin: $JAR ($(git rev-parse --short HEAD 2>/dev/null || echo 'no commit'), built $(date -u -r "$JAR" '+%Y-%m-%d %H:%M UTC')), $("$JAVA" -version 2>&1 | head -1)"
		echo "- Capuchin command: \`${CAPUCHIN_CMD[*]}\`"
		if ((${#PLUGINS_CMD[@]})); then echo "- capuchin-plugins command: \`${PLUGINS_CMD[*]}\`"; fi
	fi
	echo "- peers: ${versions#, }; wrk $(pkg_version wrk)"
	echo "- load: \`taskset -c $LOAD_CPU wrk -t1 -c64 -d${DURATION}s --latency ${WRK_ARGS:+$WRK_ARGS }http://127.0.0.1:PORT/FILE\`; every server pinned with \`taskset -c $SERVER_CPU\`, one worker"
	echo "- method: ${WARMUP} s warm-up per server in ${WARMUP_RUNS} runs through the files, $SETTLE unmeasured round(s) alternating on the first file, then $ROUNDS round(s) alternating Capuchin and peer; medians; ratio = Capuchin / peer"
	echo
	echo "| workload | Capuchin req/s | peer req/s | ratio | Capuchin p99 | peer p99 |"
	echo "|---|---|---|---|---|---|"
	for w in "${WORKLOADS[@]}"; do
		for peer in "${pairs[@]}"; do
			ck="$w|$peer|capuchin"
			pk="$w|$peer|$peer"
			echo "| $(label "$w"), ${peer/#-/no peer} | $(cell "$ck" rps) | $(cell "$pk" rps) | $(ratio "$(med "$ck")" "$(med "$pk")") | $(cell "$ck" p99) | $(cell "$pk" p99) |"
		done
	done
	cap_rss=${RSS[capuchin]:-n/a}
	for peer in "${PEERS_UP[@]}"; do
		peer_rss=${RSS[$peer]:-n/a}
		echo "| RSS after the runs, $peer | $(mb "$cap_rss") | $(mb "$peer_rss") | $(ratio "$cap_rss" "$peer_rss") | | |"
	done
	if ((${#PEERS_UP[@]} == 0)); then echo "| RSS after the runs | $(mb "$cap_rss") | n/a | n/a | | |"; fi
	echo
	if ((ANY_ERRORS)); then
		echo "(!) wrk reported socket errors or non-2xx/3xx responses in these runs: see $(basename "$RESULT_RAW")."
	fi
	echo "RSS: resident memory (ps -o rss) of the server process; nginx master and worker summed; h2o's crash-report helper not counted. For RSS the ratio is Capuchin / peer, so above 1 means Capuchin uses more."
}

ANY_ERRORS=0
for k in "${!ERRS[@]}"; do
	if ((ERRS[$k] > 0)); then ANY_ERRORS=1; fi
done
report >"$RESULT_MD"
cat "$RESULT_MD"
log "wrote $RESULT_MD (raw wrk output: $RESULT_RAW)"
