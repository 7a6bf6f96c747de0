#!/usr/bin/env bash
# bench/openid.sh - a 1 KiB file behind an OpenID sign-in, with a valid session
# cookie, beside the same file unprotected.
#
# Method (see README.md): one Capuchin with the auth profile serves /1k.bin (no
# auth block) and /team/1k.bin (auth: {openid: ...}, a groups rule) from the same
# document root. A browser that signed in holds a session cookie; here the cookie
# is made directly with the location's session key (JWE dir + A256GCM through
# node's crypto, the claims Capuchin itself writes), so no provider has to run:
# with a valid session the provider is never asked. Both URLs get the same
# request, the same Cookie header included, so only the session check differs.
# After the warm-up the two are measured alternately (A, B, A, B...); medians are
# compared as protected / unprotected. Target: >= 0.9.
#
# Usage: bench/openid.sh [--build] [--quick]
#   --build   build the jar first (./mvnw -B -DskipTests package)
#   --quick   smoke run: WARMUP=5 DURATION=3 ROUNDS=1 (unless set)
#
# Environment (defaults in brackets):
#   WARMUP [90]        seconds of load before measuring, split over both URLs (as
#                      bearer.sh: after 40 s the JIT was still speeding both up)
#   DURATION [10]      seconds per measured wrk run
#   ROUNDS [5]         alternations of the two URLs
#   SERVER_CPU [1], LOAD_CPU [0]   cores for Capuchin and for wrk
#   PAUSE [1]          seconds of rest between two runs
#   CAPUCHIN_ARGS []   extra arguments for Capuchin
#   JAVA [java]        the java binary
#   CAPUCHIN_JAR [platform-app/target/capuchin.jar]
#   KEEP_TMP [0]       1: keep the temp dir (configs, logs, wrk output)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$REPO_ROOT"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BENCH_DIR/lib.sh"

JAR=${CAPUCHIN_JAR:-platform-app/target/capuchin.jar}

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

BUILD=0
QUICK=0
while (($#)); do
	case $1 in
	--build) BUILD=1 ;;
	--quick) QUICK=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done

if ((QUICK)); then
	WARMUP=${WARMUP:-5} DURATION=${DURATION:-3} ROUNDS=${ROUNDS:-1}
fi
WARMUP=${WARMUP:-90}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-5}
SERVER_CPU=${SERVER_CPU:-1}
LOAD_CPU=${LOAD_CPU:-0}
PAUSE=${PAUSE:-1}
JAVA=${JAVA:-java}
CAPUCHIN_ARGS=${CAPUCHIN_ARGS:-}

for n in WARMUP DURATION ROUNDS PAUSE SERVER_CPU LOAD_CPU; do
	[[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number (got '${!n}')"
done
((DURATION > 0 && ROUNDS > 0)) || die "DURATION and ROUNDS must be at least 1"

ensure_tools wrk:wrk taskset:util-linux ps:procps curl:curl node:nodejs

if ! taskset -c "$SERVER_CPU" true 2>/dev/null || ! taskset -c "$LOAD_CPU" true 2>/dev/null; then
	die "cannot pin to CPUs $SERVER_CPU and $LOAD_CPU (nproc: $(nproc)); set SERVER_CPU / LOAD_CPU"
fi

if ((BUILD)); then
	log "building: ./mvnw -B -DskipTests package"
	timeout 1800 ./mvnw -B -DskipTests package >&2 || die "build failed"
fi
[[ -f $JAR ]] || die "missing $JAR: build it with ./mvnw -B -DskipTests package (or run with --build)"
command -v "$JAVA" >/dev/null || die "no '$JAVA' on PATH (set JAVA=/path/to/java)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/capuchin-openid.XXXXXX")
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

# --- the session: a cookie sealed with the location's key -----------------------------

# the provider is never reached while the session is valid: a port nothing listens on
free_port ISSUER_PORT
ISSUER=http://127.0.0.1:$ISSUER_PORT
KEY=$(head -c 32 /dev/urandom | base64 -w0)
SESSION=$(KEY=$KEY node -e '
	const crypto = require("crypto");
	const key = Buffer.from(process.env.KEY, "base64");
	const now = Math.floor(Date.now() / 1000);
	const part = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
	const header = part({ kid: "corp", enc: "A256GCM", alg: "dir" });
	const claims = { use: "session", lgn: "corp", sub: "bench", iat: now, lst: now, exp: now + 6 * 3600,
		clm: { email: "bench@example.test", groups: ["staff"] } };
	const iv = crypto.randomBytes(12);
	const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
	cipher.setAAD(Buffer.from(header, "ascii"));
	const text = Buffer.concat([cipher.update(JSON.stringify(claims)), cipher.final()]);
	const b = (buf) => buf.toString("base64url");
	process.stdout.write([header, "", b(iv), b(text), b(cipher.getAuthTag())].join("."));
')
[[ $SESSION =~ ^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$ ]] || die "could not make a session cookie"

# --- Capuchin ------------------------------------------------------------------------

ROOT=$WORK/htdocs
mkdir -p "$ROOT/team"
head -c 1024 /dev/urandom >"$ROOT/1k.bin"
cp "$ROOT/1k.bin" "$ROOT/team/1k.bin"

free_port PORT
free_port CONTROL
mkdir -p "$WORK/capuchin/sites"
cat >"$WORK/capuchin/sites/bench.yml" <<-YAML
	name: bench
	server-names: [localhost]
	default: true
	document-root: $ROOT
	locations:
	  - path: /team/
	    auth:
	      openid:
	        login: corp
	        issuer: "$ISSUER"
	        client-id: capuchin
	        client-secret: s3cret
	        session-key: "$KEY"
	        require: { claims: { groups: [staff] } }
YAML
read -ra EXTRA <<<"$CAPUCHIN_ARGS"
CMD=(taskset -c "$SERVER_CPU" "$JAVA" -XX:+UseParallelGC -Xms256m -Xmx256m -XX:ActiveProcessorCount=1
	-jar "$JAR"
	--spring.config.location=classpath:/,file:config/ --spring.profiles.active=auth
	"--capuchin.server.listeners[0].address=127.0.0.1:$PORT"
	--capuchin.server.workers=1
	--capuchin.server.limits.max-requests-per-connection=1000000
	"--capuchin.sites-dir=$WORK/capuchin/sites"
	"--spring.datasource.url=jdbc:h2:file:$WORK/capuchin/store"
	"--server.port=$CONTROL" --server.address=127.0.0.1
	"${EXTRA[@]}")
log "starting Capuchin on 127.0.0.1:$PORT: ${CMD[*]}"
"${CMD[@]}" >"$WORK/capuchin/server.log" 2>&1 &
PID=$!
track_pid "$PID"
if ! wait_http "http://127.0.0.1:$PORT/1k.bin" "$PID" 180; then
	tail -n 40 "$WORK/capuchin/server.log" >&2
	die "Capuchin did not serve /1k.bin within 180 s"
fi

AUTH="Cookie: capuchin-openid-corp=$SESSION"
got=$(curl -sS -o /dev/null -H 'Accept: application/json' -w '%{http_code}' "http://127.0.0.1:$PORT/team/1k.bin")
[[ $got == 401 ]] || die "/team/1k.bin without a session: expected 401, got $got"
got=$(curl -sS -o /dev/null -H "$AUTH" -w '%{http_code} %{size_download}' "http://127.0.0.1:$PORT/team/1k.bin")
[[ $got == "200 1024" ]] || { tail -n 40 "$WORK/capuchin/server.log" >&2; die "/team/1k.bin with the session: expected '200 1024', got '$got'"; }

# --- load ------------------------------------------------------------------------------

declare -A URL=([unprotected]=/1k.bin [protected]=/team/1k.bin)
declare -A RPS P99 ERRS
RUN_NO=0
LAST=""

# run_load NAME SECONDS TAG: one wrk run against one URL, with the session cookie.
run_load() {
	local name=$1 secs=$2 tag=$3 out
	RUN_NO=$((RUN_NO + 1))
	out=$WORK/wrk/$(printf %03d "$RUN_NO")-$tag-$name.txt
	kill -0 "$PID" 2>/dev/null || die "Capuchin is no longer running (see $WORK/capuchin/server.log)"
	timeout -k 5 $((secs + 30)) taskset -c "$LOAD_CPU" wrk -t1 -c64 "-d${secs}s" --latency -H "$AUTH" \
		"http://127.0.0.1:$PORT${URL[$name]}" >"$out" 2>&1 || warn "wrk exited non-zero on $name"
	LAST=$(parse_wrk "$out")
	log "$tag $name -> req/s p99(ms) errors: $LAST"
	sleep "$PAUSE"
}

total=$((WARMUP + 2 * ROUNDS * (DURATION + PAUSE)))
log "about $((total / 60)) min $((total % 60)) s of load to go"
if ((WARMUP > 0)); then
	half=$(((WARMUP + 1) / 2))
	run_load unprotected "$half" warmup
	run_load protected "$half" warmup
fi
for ((r = 1; r <= ROUNDS; r++)); do
	for name in protected unprotected; do
		run_load "$name" "$DURATION" measure
		read -r rps p99 errs <<<"$LAST"
		[[ $rps == n/a ]] && continue
		RPS[$name]="${RPS[$name]:-} $rps"
		P99[$name]="${P99[$name]:-} $p99"
		ERRS[$name]=$((${ERRS[$name]:-0} + errs))
	done
done
RSS=$(rss_mb "$PID")

# --- report ---------------------------------------------------------------------------

# shellcheck disable=SC2086
{
	prot=$(median ${RPS[protected]:-})
	unprot=$(median ${RPS[unprotected]:-})
	r=$(ratio "$prot" "$unprot")
	echo "# OpenID sign-in: a 1 KiB file with a valid session cookie beside the same file unprotected"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: nproc $(nproc), $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
	echo "- Capuchin: $JAR ($(git rev-parse --short HEAD 2>/dev/null || echo 'no commit')), $("$JAVA" -version 2>&1 | head -1)"
	echo "- command: \`${CMD[*]}\`"
	echo "- load: \`taskset -c $LOAD_CPU wrk -t1 -c64 -d${DURATION}s --latency -H 'Cookie: capuchin-openid-corp=<session JWE>'\`; $WARMUP s warm-up, $ROUNDS round(s) alternating; medians"
	echo
	echo "| URL | req/s | p99 | errors |"
	echo "|---|---|---|---|"
	for name in unprotected protected; do
		echo "| ${URL[$name]} | $(fmt_int "$(median ${RPS[$name]:-})") | $(fmt_ms "$(median ${P99[$name]:-})") | ${ERRS[$name]:-0} |"
	done
	echo
	echo "Ratio protected / unprotected: **$r** (target >= 0.90). Resident memory after the runs: $RSS MB."
} | tee "$WORK/report.md"
