#!/usr/bin/env bash
# bench/startup.sh - where a start of the full node goes, in counts that hold on a busy machine.
#
# Starts the full node through bin/capuchin RUNS times per variant, the variants interleaved
# (A B A B ...: a machine that gets busier hurts them alike), pinned to CPUS, on one store
# seeded by an unmeasured first start (as bench/footprint.sh), and stops it at its first
# data-plane answer. Per run:
#   wall     seconds from launch to the first 200 on the data plane
#   cpu      CPU seconds the process had used by then, and of that: main (the thread that
#            builds the context), c1 and c2 (the compiler threads), gc (Serial's VM thread, or the GC
#            threads), other (live threads only; exited compiler threads count in cpu only)
#   gcs      collections until the first answer (-Xlog:gc)
#   classes  classes loaded, and how many of them came from a CDS archive (-Xlog:class+load)
#   rss      resident MiB at the first answer
# Wall time moves with the machine's load; the CPU seconds, counts and the cpu/wall ratio
# say whether a change helped.
#
# Usage: bench/startup.sh [--runs N] [--cpus LIST] [--keep] NAME=JAVA_OPTS ...
#   NAME=JAVA_OPTS   a variant: JVM options added through CAPUCHIN_JAVA_OPTS ("base=" for none);
#                    CAPUCHIN_* settings of bin/capuchin can be given as env:NAME=VALUE words,
#                    and --key=value words go to Capuchin (e.g. "edge=--capuchin.node.role=edge")
#   --runs N [3], --cpus LIST [1] (taskset; "0,1" for both cores), --keep: keep logs
# Environment: START_TIMEOUT [900] seconds a start may take before it counts as failed
# Example: bench/startup.sh --runs 3 base= 'xms64=-Xms64m' 'nocds=env:CAPUCHIN_CDS=off'
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$REPO_ROOT"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BENCH_DIR/lib.sh"

RUNS=3 CPUS=1 KEEP=0 VARIANTS=()
while (($#)); do
	case $1 in
	--runs) RUNS=$2; shift ;;
	--cpus) CPUS=$2; shift ;;
	--keep) KEEP=1 ;;
	-h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*=*) VARIANTS+=("$1") ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
	shift
done
((${#VARIANTS[@]})) || VARIANTS=(base=)
[[ $RUNS =~ ^[0-9]+$ ]] || die "--runs must be a whole number"
[[ -f platform-app/target/capuchin.jar ]] || die "missing platform-app/target/capuchin.jar (./mvnw -B -DskipTests package)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/capuchin-startup.XXXXXX")
chmod 755 "$WORK"
on_exit() {
	local rc=$?
	trap - EXIT INT TERM
	cleanup_tracked
	if ((KEEP)); then log "kept $WORK"; else rm -rf "$WORK"; fi
	exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$WORK/htdocs" "$WORK/sites"
head -c 1024 /dev/urandom >"$WORK/htdocs/1k.bin"
chmod -R a+rX "$WORK/htdocs"
cat >"$WORK/sites/bench.yml" <<EOF
name: bench
server-names: [localhost]
default: true
document-root: $WORK/htdocs
EOF

# start LOG OPTS...: launches the full node; sets PID and PORT.
start() {
	local log=$1 word control env=() args=() opts=()
	shift
	free_port PORT
	free_port control
	for word in "$@"; do
		case $word in
		env:*) env+=("${word#env:}") ;;
		--*) args+=("$word") ;;
		*) opts+=("$word") ;;
		esac
	done
	env "${env[@]}" CAPUCHIN_ADMIN_PASSWORD=startup-bench \
		CAPUCHIN_JAVA_OPTS="-Xlog:gc,class+load,cds:file=$log.jvm:uptime,tags ${opts[*]}" \
		taskset -c "$CPUS" bin/capuchin "--capuchin.server.listeners[0].address=127.0.0.1:$PORT" \
		--capuchin.server.workers=1 "--capuchin.sites-dir=$WORK/sites" \
		"--spring.datasource.url=jdbc:h2:file:$WORK/store;AUTO_SERVER=TRUE" \
		"--server.port=$control" --server.address=127.0.0.1 "${args[@]}" >"$log" 2>&1 &
	PID=$!
	track_pid "$PID"
}

# cpu_of PID: "total main c1 c2 gc other" CPU seconds (live threads; total from the process).
cpu_of() {
	python3 - "$1" <<-'EOF'
		import os, sys
		pid, hz = sys.argv[1], os.sysconf("SC_CLK_TCK")
		def ticks(path):
		    with open(path) as f:
		        stat = f.read()
		    comm, rest = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
		    return comm, int(rest[11]) + int(rest[12])
		_, total = ticks(f"/proc/{pid}/stat")
		groups = {"main": 0, "c1": 0, "c2": 0, "gc": 0, "other": 0}
		for tid in os.listdir(f"/proc/{pid}/task"):
		    try:
		        comm, t = ticks(f"/proc/{pid}/task/{tid}/stat")
		    except OSError:
		        continue
		    if comm == "java" or comm == "main":
		        groups["main"] += t
		    elif comm.startswith("C1 Compiler"):
		        groups["c1"] += t
		    elif comm.startswith("C2 Compiler"):
		        groups["c2"] += t
		    elif comm == "VM Thread" or comm.startswith("GC ") or comm.startswith("G1 "):
		        groups["gc"] += t
		    else:
		        groups["other"] += t
		print(" ".join(f"{v / hz:.2f}" for v in [total] + list(groups.values())))
	EOF
}

# first_answer PID URL: seconds until URL answers 200; n/a when PID died or after
# START_TIMEOUT seconds (a start on a busy machine took over 300 s).
first_answer() {
	local pid=$1 url=$2 t0 deadline=$((SECONDS + ${START_TIMEOUT:-900}))
	t0=$(date +%s%N)
	while ((SECONDS < deadline)); do
		kill -0 "$pid" 2>/dev/null || { echo n/a; return; }
		if curl -fs -o /dev/null --max-time 1 "$url" 2>/dev/null; then
			awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f\n", (b - a) / 1e9 }'
			return
		fi
		sleep 0.02
	done
	echo n/a
}

log "seeding the store (unmeasured start)"
start "$WORK/seed.log"
[[ $(first_answer "$PID" "http://127.0.0.1:$PORT/1k.bin") != n/a ]] || { tail -n 30 "$WORK/seed.log" >&2; die "the seeding start failed"; }
stop_pid "$PID" 20

printf '%-12s %3s %7s %7s %6s %6s %6s %6s %6s %5s %8s %8s %7s\n' variant run wall cpu main c1 c2 gc other gcs classes from-cds rss
RESULTS=$WORK/results.txt
for ((run = 1; run <= RUNS; run++)); do
	for variant in "${VARIANTS[@]}"; do
		name=${variant%%=*}
		read -ra words <<<"${variant#*=}"
		logf=$WORK/$name-$run.log
		start "$logf" "${words[@]}"
		wall=$(first_answer "$PID" "http://127.0.0.1:$PORT/1k.bin")
		if [[ $wall == n/a ]]; then
			warn "$name did not answer"; tail -n 20 "$logf" >&2; stop_pid "$PID" 10; continue
		fi
		read -r cpu main c1 c2 gc other <<<"$(cpu_of "$PID")"
		rss=$(rss_mb "$PID")
		# the JVM's log up to now (the process still runs: the file is being written)
		gcs=$(grep -c '\[gc *\] GC(' "$logf.jvm" || true)
		classes=$(grep -c '\[class,load *\]' "$logf.jvm" || true)
		shared=$(grep -c 'source: shared objects file' "$logf.jvm" || true)
		stop_pid "$PID" 20
		printf '%-12s %3d %7s %7s %6s %6s %6s %6s %6s %5s %8s %8s %7s\n' "$name" "$run" "$wall" "$cpu" "$main" "$c1" "$c2" "$gc" \
			"$other" "$gcs" "$classes" "$shared" "$rss" | tee -a "$RESULTS"
	done
done

echo
echo "medians:"
for variant in "${VARIANTS[@]}"; do
	name=${variant%%=*}
	awk -v n="$name" '$1 == n' "$RESULTS" | python3 -c '
import statistics, sys
rows = [line.split() for line in sys.stdin]
if rows:
    cols = list(zip(*rows))
    med = [statistics.median(float(v) for v in col) for col in cols[2:]]
    print(f"{rows[0][0]:<12} {len(rows):>3} " + " ".join(f"{v:>7.2f}" if i < 7 else f"{v:>7.0f}" for i, v in enumerate(med)))
'
done
