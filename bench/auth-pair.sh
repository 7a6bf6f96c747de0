# shellcheck shell=bash
# bench/auth-pair.sh - what bench/bearer.sh and bench/openid.sh share: one Capuchin
# with the auth profile serves /1k.bin (no auth block) and the same file under a
# protected location from the same document root. Both URLs get the same request,
# the same credential header included, so only the check differs. After the warm-up
# the two are measured alternately (A, B, A, B...); medians are compared as
# protected / unprotected.
#
# Sourced after lib.sh by a script that calls, in order:
#   pair_setup NAME "$@"            options, environment, tools, build, WORK (a temp dir)
#   ... makes its credential (and whatever serves it) under $WORK ...
#   pair_issuer                     (optional) a static OpenID issuer on loopback: ISSUER,
#                                   and TOKEN, an RS256 JWT it vouches for
#   pair_start PATH LOCATION_YAML   the site with PATH protected by LOCATION_YAML (the
#                                   lines under `- path: PATH`, indented by 4; empty: a
#                                   location without a block, for the caller to change
#                                   through the API: ADMIN_PASSWORD, CONTROL)
#   pair_check HEADER [CURL_ARGS]   the protected URL refuses a request without HEADER
#                                   (401) and answers with it (200, 1024 bytes)
#   pair_run TITLE SHOWN_HEADER     the load and the report (SHOWN_HEADER: how the
#                                   header is shown in the report); a function
#                                   pair_fresh_credential, when the script defines one,
#                                   sets AUTH again before each wrk run
#
# Environment (defaults in brackets):
#   WARMUP [90]        seconds of load before measuring, split over both URLs (after
#                      40 s the JIT was still speeding both URLs up round after round)
#   DURATION [10]      seconds per measured wrk run
#   ROUNDS [5]         alternations of the two URLs
#   SERVER_CPU [1], LOAD_CPU [0]   cores for Capuchin and for wrk
#   PAUSE [1]          seconds of rest between two runs
#   CAPUCHIN_ARGS []   extra arguments for Capuchin
#   JAVA [java]        the java binary
#   CAPUCHIN_JAR [platform-app/target/capuchin.jar]
#   KEEP_TMP [0]       1: keep the temp dir (configs, logs, wrk output)

# pair_setup NAME ARGS...: parse --build/--quick/--help, check the environment and
# the tools (PAIR_TOOLS: extra name:package pairs), build if asked, make WORK.
pair_setup() {
	local name=$1 build=0 quick=0 n
	shift
	while (($#)); do
		case $1 in
		--build) build=1 ;;
		--quick) quick=1 ;;
		-h | --help) usage; exit 0 ;;
		*) usage >&2; exit 2 ;;
		esac
		shift
	done
	if ((quick)); then
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
	JAR=${CAPUCHIN_JAR:-platform-app/target/capuchin.jar}
	for n in WARMUP DURATION ROUNDS PAUSE SERVER_CPU LOAD_CPU; do
		[[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number (got '${!n}')"
	done
	((DURATION > 0 && ROUNDS > 0)) || die "DURATION and ROUNDS must be at least 1"

	ensure_tools wrk:wrk taskset:util-linux ps:procps curl:curl "${PAIR_TOOLS[@]}"
	if ! taskset -c "$SERVER_CPU" true 2>/dev/null || ! taskset -c "$LOAD_CPU" true 2>/dev/null; then
		die "cannot pin to CPUs $SERVER_CPU and $LOAD_CPU (nproc: $(nproc)); set SERVER_CPU / LOAD_CPU"
	fi
	if ((build)); then
		log "building: ./mvnw -B -DskipTests package"
		timeout 1800 ./mvnw -B -DskipTests package >&2 || die "build failed"
	fi
	[[ -f $JAR ]] || die "missing $JAR: build it with ./mvnw -B -DskipTests package (or run with --build)"
	command -v "$JAVA" >/dev/null || die "no '$JAVA' on PATH (set JAVA=/path/to/java)"

	WORK=$(mktemp -d "${TMPDIR:-/tmp}/capuchin-$name.XXXXXX")
	mkdir -p "$WORK/wrk"
	trap pair_exit EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# pair_issuer: a discovery document and a JWK set served by python3's http.server
# (pinned to LOAD_CPU), and TOKEN, an RS256 JWT of that issuer for audience bench-api
# and scope read, valid for six hours. Sets ISSUER.
pair_issuer() {
	local port pid
	free_port port
	ISSUER=http://127.0.0.1:$port
	mkdir -p "$WORK/issuer/.well-known"
	TOKEN=$(ISSUER=$ISSUER DIR=$WORK/issuer node -e '
		const crypto = require("crypto");
		const fs = require("fs");
		const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
		const jwk = { ...publicKey.export({ format: "jwk" }), kid: "bench-1", alg: "RS256", use: "sig" };
		const dir = process.env.DIR, iss = process.env.ISSUER;
		fs.writeFileSync(dir + "/jwks.json", JSON.stringify({ keys: [jwk] }));
		fs.writeFileSync(dir + "/.well-known/openid-configuration", JSON.stringify({ issuer: iss,
			authorization_endpoint: iss + "/authorize", token_endpoint: iss + "/token",
			jwks_uri: iss + "/jwks.json", response_types_supported: ["code"],
			subject_types_supported: ["public"], id_token_signing_alg_values_supported: ["RS256"] }));
		const part = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
		const now = Math.floor(Date.now() / 1000);
		const input = part({ alg: "RS256", typ: "JWT", kid: "bench-1" }) + "." +
			part({ iss, sub: "bench", aud: "bench-api", scope: "read", iat: now, exp: now + 6 * 3600 });
		const signature = crypto.createSign("RSA-SHA256").update(input).sign(privateKey).toString("base64url");
		process.stdout.write(input + "." + signature);
	')
	[[ $TOKEN =~ ^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$ ]] || die "could not make a token"
	log "issuer on $ISSUER (python3 http.server, pinned to CPU $LOAD_CPU)"
	taskset -c "$LOAD_CPU" python3 -m http.server "$port" --bind 127.0.0.1 --directory "$WORK/issuer" \
		>"$WORK/issuer.log" 2>&1 &
	pid=$!
	track_pid "$pid"
	wait_http "$ISSUER/.well-known/openid-configuration" "$pid" 15 || die "the issuer did not start"
}

pair_exit() {
	local rc=$?
	trap - EXIT INT TERM
	cleanup_tracked
	if [[ ${KEEP_TMP:-0} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
	exit "$rc"
}

# pair_start PATH LOCATION_YAML: the document root, the site and Capuchin (PORT, PID,
# CMD), waiting until /1k.bin is served.
pair_start() {
	local path=$1 location=$2 root=$WORK/htdocs extra
	PROTECTED=${path}1k.bin
	mkdir -p "$root$path"
	head -c 1024 /dev/urandom >"$root/1k.bin"
	cp "$root/1k.bin" "$root$PROTECTED"

	free_port PORT
	free_port CONTROL
	mkdir -p "$WORK/capuchin/sites"
	{
		printf '%s\n' 'name: bench' 'server-names: [localhost]' 'default: true' "document-root: $root" \
			'locations:' "  - path: $path"
		[[ -z $location ]] || printf '%s\n' "$location"
	} >"$WORK/capuchin/sites/bench.yml"
	ADMIN_PASSWORD=$(head -c 18 /dev/urandom | base64 -w0 | tr '+/' '-_')
	read -ra extra <<<"$CAPUCHIN_ARGS"
	CMD=(taskset -c "$SERVER_CPU" "$JAVA" -XX:+UseParallelGC -Xms256m -Xmx256m -XX:ActiveProcessorCount=1
		-jar "$JAR"
		--spring.config.location=classpath:/,file:config/ --spring.profiles.active=auth
		"--capuchin.server.listeners[0].address=127.0.0.1:$PORT"
		--capuchin.server.workers=1
		--capuchin.server.limits.max-requests-per-connection=1000000
		"--capuchin.sites-dir=$WORK/capuchin/sites"
		"--spring.datasource.url=jdbc:h2:file:$WORK/capuchin/store"
		"--server.port=$CONTROL" --server.address=127.0.0.1
		"${extra[@]}")
	log "starting Capuchin on 127.0.0.1:$PORT: ${CMD[*]}"
	CAPUCHIN_ADMIN_PASSWORD=$ADMIN_PASSWORD "${CMD[@]}" >"$WORK/capuchin/server.log" 2>&1 &
	PID=$!
	track_pid "$PID"
	if ! wait_http "http://127.0.0.1:$PORT/1k.bin" "$PID" 180; then
		tail -n 40 "$WORK/capuchin/server.log" >&2
		die "Capuchin did not serve /1k.bin within 180 s"
	fi
}

# pair_check HEADER [CURL_ARGS...]: 401 without the credential, the file with it.
pair_check() {
	local got url=http://127.0.0.1:$PORT$PROTECTED
	AUTH=$1
	shift
	got=$(curl -sS -o /dev/null "$@" -w '%{http_code}' "$url")
	[[ $got == 401 ]] || die "$PROTECTED without the credential: expected 401, got $got"
	got=$(curl -sS -o /dev/null -H "$AUTH" -w '%{http_code} %{size_download}' "$url")
	[[ $got == "200 1024" ]] || {
		tail -n 40 "$WORK/capuchin/server.log" >&2
		die "$PROTECTED with the credential: expected '200 1024', got '$got'"
	}
}

# pair_load NAME SECONDS TAG: one wrk run against one URL, with the credential.
pair_load() {
	local name=$1 secs=$2 tag=$3 out
	RUN_NO=$((RUN_NO + 1))
	out=$WORK/wrk/$(printf %03d "$RUN_NO")-$tag-$name.txt
	kill -0 "$PID" 2>/dev/null || die "Capuchin is no longer running (see $WORK/capuchin/server.log)"
	# a script whose credential ages (a session cookie written again once a minute) makes
	# a fresh one for each run, as a browser takes the one it is sent
	if declare -F pair_fresh_credential >/dev/null; then
		pair_fresh_credential
	fi
	timeout -k 5 $((secs + 30)) taskset -c "$LOAD_CPU" wrk -t1 -c64 "-d${secs}s" --latency -H "$AUTH" \
		"http://127.0.0.1:$PORT${URL[$name]}" >"$out" 2>&1 || warn "wrk exited non-zero on $name"
	LAST=$(parse_wrk "$out")
	log "$tag $name -> req/s p99(ms) errors: $LAST"
	sleep "$PAUSE"
}

# pair_run TITLE SHOWN_HEADER: warm-up, alternating rounds, and the report (stdout and
# WORK/report.md).
pair_run() {
	local title=$1 shown=$2 total half r name rps p99 errs prot unprot ratio_value rss
	declare -gA URL=([unprotected]=/1k.bin [protected]=$PROTECTED)
	declare -A RPS P99 ERRS
	RUN_NO=0
	LAST=""
	total=$((WARMUP + 2 * ROUNDS * (DURATION + PAUSE)))
	log "about $((total / 60)) min $((total % 60)) s of load to go"
	if ((WARMUP > 0)); then
		half=$(((WARMUP + 1) / 2))
		pair_load unprotected "$half" warmup
		pair_load protected "$half" warmup
	fi
	for ((r = 1; r <= ROUNDS; r++)); do
		for name in protected unprotected; do
			pair_load "$name" "$DURATION" measure
			read -r rps p99 errs <<<"$LAST"
			[[ $rps == n/a ]] && continue
			RPS[$name]="${RPS[$name]:-} $rps"
			P99[$name]="${P99[$name]:-} $p99"
			ERRS[$name]=$((${ERRS[$name]:-0} + errs))
		done
	done
	rss=$(rss_mb "$PID")

	# shellcheck disable=SC2086
	{
		prot=$(median ${RPS[protected]:-})
		unprot=$(median ${RPS[unprotected]:-})
		ratio_value=$(ratio "$prot" "$unprot")
		echo "# $title"
		echo
		echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: nproc $(nproc), $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
		echo "- Capuchin: $JAR ($(git rev-parse --short HEAD 2>/dev/null || echo 'no commit')), $("$JAVA" -version 2>&1 | head -1)"
		echo "- command: \`${CMD[*]}\`"
		echo "- load: \`taskset -c $LOAD_CPU wrk -t1 -c64 -d${DURATION}s --latency -H '$shown'\`; $WARMUP s warm-up, $ROUNDS round(s) alternating; medians"
		echo
		echo "| URL | req/s | p99 | errors |"
		echo "|---|---|---|---|"
		for name in unprotected protected; do
			echo "| ${URL[$name]} | $(fmt_int "$(median ${RPS[$name]:-})") | $(fmt_ms "$(median ${P99[$name]:-})") | ${ERRS[$name]:-0} |"
		done
		echo
		echo "Ratio protected / unprotected: **$ratio_value** (target >= 0.90). Resident memory after the runs: $rss MB."
	} | tee "$WORK/report.md"
}
