#!/usr/bin/env bash
# bench/proxy.sh - reverse proxy: Capuchin's proxy plugin against nginx proxy_pass
# (upstream keep-alive) and HAProxy, in front of the same backends.
#
# Method (as bench/static.sh): each proxy is pinned to one core with one worker
# (SERVER_CPU), wrk and the backends to the other (LOAD_CPU); each proxy is warmed up,
# then Capuchin and each peer are measured alternately (A, B, A, B...) and the medians
# are compared as ratios of requests per second, with the p99 latencies beside them.
# The backends are nginx instances serving the same files (1k.bin, 100k.bin) from one
# directory; every proxy balances round-robin over them with pooled keep-alive
# connections. Everything listens on 127.0.0.1 only.
#
# Usage: bench/proxy.sh [--build] [--quick] [--failover | --cached]
#   --build     build the jar first (./mvnw -B -DskipTests package)
#   --quick     smoke run: WARMUP=5 DURATION=3 ROUNDS=1 (unless set)
#   --failover  second mode instead of the ratios: three backends, one GET load of
#               FAILOVER_DURATION seconds per proxy, one backend killed (SIGKILL) in the
#               middle; reports the failed requests per proxy (the target is 0)
#   --cached    third mode: cache hits. The backends mark the files fresh for an hour
#               (expires 1h); Capuchin's location has cache: {zone: bench} (64MB in
#               memory), nginx has proxy_cache (keys_zone, files under the work dir,
#               proxy_cache_valid 200 1h). After the warm-up every request is a hit;
#               the table gives Capuchin / nginx per file, and a second table Capuchin's
#               cached hit against Capuchin serving the same bytes as a static file
#               (/static/), the target being a hit no dearer than the file (ratio >= 1.0),
#               with a disk-tier hit beside them: /disk/ is cached in a zone of 1KB of
#               memory and a disk directory, so its hits come from files (sendfile)
#
# Environment (defaults in brackets):
#   WARMUP [30]            seconds of load per proxy before measuring
#   DURATION [10]          seconds per measured wrk run
#   ROUNDS [2]             alternations per (file, peer)
#   BACKENDS [3]           backend count for the ratio mode
#   FAILOVER_DURATION [30] seconds of the failover run
#   PEERS ["nginx haproxy"]
#   FILES ["1k.bin 100k.bin"]
#   CONNECTIONS [64]       wrk connections (one thread)
#   SERVER_CPU [1], LOAD_CPU [0]
#   JAVA [java], CAPUCHIN_JAR [platform-app/target/capuchin.jar], KEEP_TMP [0]
#
# Results go to stdout as a table; record them in bench/RESULTS.md with the date,
# the machine and the commit.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$REPO_ROOT"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BENCH_DIR/lib.sh"
export PATH="$PATH:/usr/sbin:/sbin"

JAR=${CAPUCHIN_JAR:-platform-app/target/capuchin.jar}
declare -A FILE_BYTES=([1k.bin]=1024 [100k.bin]=102400)

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

BUILD=0 QUICK=0 FAILOVER=0 CACHED=0
while (($#)); do
	case $1 in
	--build) BUILD=1 ;;
	--quick) QUICK=1 ;;
	--failover) FAILOVER=1 ;;
	--cached) CACHED=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
if ((QUICK)); then
	WARMUP=${WARMUP:-5} DURATION=${DURATION:-3} ROUNDS=${ROUNDS:-1} FAILOVER_DURATION=${FAILOVER_DURATION:-10}
fi
WARMUP=${WARMUP:-30}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-2}
BACKENDS=${BACKENDS:-3}
FAILOVER_DURATION=${FAILOVER_DURATION:-30}
PEERS=${PEERS-nginx haproxy}
FILES=${FILES:-1k.bin 100k.bin}
CONNECTIONS=${CONNECTIONS:-64}
SERVER_CPU=${SERVER_CPU:-1}
LOAD_CPU=${LOAD_CPU:-0}
JAVA=${JAVA:-java}
for n in WARMUP DURATION ROUNDS BACKENDS FAILOVER_DURATION CONNECTIONS SERVER_CPU LOAD_CPU; do
	[[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number (got '${!n}')"
done
((FAILOVER)) && BACKENDS=3
((FAILOVER && CACHED)) && die "--failover and --cached are separate modes: choose one"
# the cached mode compares with nginx's proxy_cache only
((CACHED)) && PEERS=nginx
((BACKENDS >= 1 && DURATION > 0 && ROUNDS > 0)) || die "BACKENDS, DURATION and ROUNDS must be at least 1"
for p in $PEERS; do
	[[ $p == nginx || $p == haproxy ]] || die "PEERS: unknown peer '$p' (known: nginx haproxy)"
done

tools=(wrk:wrk taskset:util-linux curl:curl nginx:nginx)
[[ " $PEERS " == *" haproxy "* ]] && tools+=(haproxy:haproxy)
ensure_tools "${tools[@]}"
if ((BUILD)); then
	timeout 1800 ./mvnw -B -DskipTests package >&2 || die "build failed"
fi
[[ -f $JAR ]] || die "missing $JAR (build it with ./mvnw -B -DskipTests package, or use --build)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/capuchin-proxy-bench.XXXXXX")
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
for f in "${!FILE_BYTES[@]}"; do head -c "${FILE_BYTES[$f]}" /dev/urandom >"$ROOT/$f"; done
# the same bytes as static files of Capuchin's own, for the cached mode's second table, and
# under /disk/ for the backends, whose answers a disk-only zone keeps
mkdir -p "$ROOT/static" "$ROOT/disk"
for f in "${!FILE_BYTES[@]}"; do cp "$ROOT/$f" "$ROOT/static/$f"; cp "$ROOT/$f" "$ROOT/disk/$f"; done
chmod -R a+rX "$ROOT"

declare -A PORT PID
BACKEND_PORTS=() BACKEND_PIDS=()

# --- backends: nginx serving the files, on the load core ----------------------------
for ((i = 0; i < BACKENDS; i++)); do
	free_port port
	dir=$WORK/backend$i
	mkdir -p "$dir"
	cat >"$dir/nginx.conf" <<-EOF
		worker_processes 1;
		daemon off;
		pid $dir/nginx.pid;
		error_log $dir/error.log warn;
		events { worker_connections 4096; }
		http {
		    access_log off;
		    keepalive_requests 1000000;
		    server { listen 127.0.0.1:$port; root $ROOT; $( ((CACHED)) && echo 'expires 1h;') }
		}
	EOF
	taskset -c "$LOAD_CPU" nginx -c "$dir/nginx.conf" -p "$dir" >"$dir/out.log" 2>&1 &
	BACKEND_PIDS+=($!)
	track_pid $!
	BACKEND_PORTS+=("$port")
	wait_http "http://127.0.0.1:$port/1k.bin" "$!" 30 || die "backend $i did not start"
done
SERVERS_YAML=$(printf 'http://127.0.0.1:%s, ' "${BACKEND_PORTS[@]}")
SERVERS_YAML="[${SERVERS_YAML%, }]"

# --- proxies on the server core -----------------------------------------------------
start_capuchin() {
	local dir=$WORK/capuchin port control
	mkdir -p "$dir/sites"
	free_port port
	free_port control
	local cache="" zone=() disk_location=""
	if ((CACHED)); then
		cache=", cache: {zone: bench}"
		zone=(--capuchin.plugins.proxy.cache.zones.bench.memory-size=64MB
			--capuchin.plugins.proxy.cache.zones.benchdisk.memory-size=1KB
			"--capuchin.plugins.proxy.cache.zones.benchdisk.disk-path=$dir/cache-disk"
			--capuchin.plugins.proxy.cache.zones.benchdisk.disk-size=1GB
			--capuchin.plugins.proxy.cache.zones.benchdisk.max-entry-size=1MB)
		# every entry is larger than that zone's memory: each goes to disk, hits read the file
		disk_location="  - path: /disk/
    proxy: { servers: $SERVERS_YAML, balancer: round-robin, cache: {zone: benchdisk} }
"
	fi
	cat >"$dir/sites/bench.yml" <<-EOF
		name: bench
		server-names: [localhost]
		default: true
		document-root: $ROOT
		locations:
		  - path: /static/
		${disk_location}  - path: /
		    proxy: { servers: $SERVERS_YAML, balancer: round-robin, max-fails: 1, fail-timeout: 10s$cache }
	EOF
	taskset -c "$SERVER_CPU" "$JAVA" -XX:+UseParallelGC -Xms256m -Xmx256m -XX:ActiveProcessorCount=1 -jar "$JAR" \
		--spring.profiles.active=proxy \
		"--capuchin.server.listeners[0].address=127.0.0.1:$port" --capuchin.server.workers=1 \
		--capuchin.server.limits.max-requests-per-connection=1000000 \
		"--capuchin.sites-dir=$dir/sites" "--spring.datasource.url=jdbc:h2:file:$dir/store" \
		"--server.port=$control" --server.address=127.0.0.1 "${zone[@]}" >"$dir/server.log" 2>&1 &
	PID[capuchin]=$!
	track_pid $!
	PORT[capuchin]=$port
	wait_http "http://127.0.0.1:$port/1k.bin" "$!" 180 || { tail -n 40 "$dir/server.log" >&2; die "capuchin did not start"; }
}

start_nginx() {
	local dir=$WORK/nginx port servers=""
	mkdir -p "$dir"
	free_port port
	for p in "${BACKEND_PORTS[@]}"; do servers+="server 127.0.0.1:$p max_fails=1 fail_timeout=10s; "; done
	local cache_path="" cache=""
	if ((CACHED)); then
		mkdir -p "$dir/cache"
		cache_path="proxy_cache_path $dir/cache levels=1:2 keys_zone=bench:10m max_size=1g inactive=1h use_temp_path=off;"
		cache="proxy_cache bench; proxy_cache_valid 200 1h; add_header X-Cache-Status \$upstream_cache_status;"
	fi
	cat >"$dir/nginx.conf" <<-EOF
		worker_processes 1;
		daemon off;
		pid $dir/nginx.pid;
		error_log $dir/error.log warn;
		events { worker_connections 4096; }
		http {
		    access_log off;
		    keepalive_requests 1000000;
		    upstream backends { $servers keepalive 64; }
		    $cache_path
		    server {
		        listen 127.0.0.1:$port;
		        location / {
		            proxy_pass http://backends;
		            proxy_http_version 1.1;
		            proxy_set_header Connection "";
		            proxy_next_upstream error timeout http_502 http_503 http_504;
		            $cache
		        }
		    }
		}
	EOF
	taskset -c "$SERVER_CPU" nginx -c "$dir/nginx.conf" -p "$dir" >"$dir/out.log" 2>&1 &
	PID[nginx]=$!
	track_pid $!
	PORT[nginx]=$port
	wait_http "http://127.0.0.1:$port/1k.bin" "$!" 30 || die "nginx did not start"
}

start_haproxy() {
	local dir=$WORK/haproxy port servers="" i=0
	mkdir -p "$dir"
	free_port port
	for p in "${BACKEND_PORTS[@]}"; do servers+="    server b$i 127.0.0.1:$p check inter 1s"$'\n'; i=$((i + 1)); done
	cat >"$dir/haproxy.cfg" <<-EOF
		global
		    nbthread 1
		    maxconn 4096
		defaults
		    mode http
		    timeout connect 5s
		    timeout client 60s
		    timeout server 60s
		    retries 2
		    option redispatch
		    http-reuse always
		frontend bench
		    bind 127.0.0.1:$port
		    default_backend backends
		backend backends
		    balance roundrobin
		    retry-on conn-failure empty-response response-timeout 502 503 504
		$servers
	EOF
	taskset -c "$SERVER_CPU" haproxy -f "$dir/haproxy.cfg" -db >"$dir/out.log" 2>&1 &
	PID[haproxy]=$!
	track_pid $!
	PORT[haproxy]=$port
	wait_http "http://127.0.0.1:$port/1k.bin" "$!" 30 || die "haproxy did not start"
}

# run NAME FILE SECONDS OUT: one pinned wrk run (FILE may carry a path: static/1k.bin).
run() {
	taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"$3s" --latency "http://127.0.0.1:${PORT[$1]}/$2" >"$4" 2>&1 || true
}

# cached_vs_static: Capuchin's cache hits (memory, then disk) against its static files, same
# bytes, alternately.
cached_vs_static() {
	printf '\n| file | Capuchin cached hit req/s | p99 | disk-tier hit req/s | p99 | static file req/s | p99 | hit / static | disk hit / static |\n|---|---|---|---|---|---|---|---|---|\n'
	local f r out rps p99 errors
	for f in $FILES; do
		local hits="" hit99="" disks="" disk99="" files="" file99=""
		for ((r = 0; r < ROUNDS; r++)); do
			out=$WORK/hit-$f-$r.txt
			run capuchin "$f" "$DURATION" "$out"
			read -r rps p99 errors < <(parse_wrk "$out")
			hits+="$rps " hit99+="$p99 "
			sleep 1
			out=$WORK/disk-$f-$r.txt
			run capuchin "disk/$f" "$DURATION" "$out"
			read -r rps p99 errors < <(parse_wrk "$out")
			disks+="$rps " disk99+="$p99 "
			sleep 1
			out=$WORK/static-$f-$r.txt
			run capuchin "static/$f" "$DURATION" "$out"
			read -r rps p99 errors < <(parse_wrk "$out")
			files+="$rps " file99+="$p99 "
			sleep 1
		done
		# shellcheck disable=SC2086
		printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$f" "$(fmt_int "$(median $hits)")" "$(fmt_ms "$(median $hit99)")" \
			"$(fmt_int "$(median $disks)")" "$(fmt_ms "$(median $disk99)")" \
			"$(fmt_int "$(median $files)")" "$(fmt_ms "$(median $file99)")" "$(ratio "$(median $hits)" "$(median $files)")" \
			"$(ratio "$(median $disks)" "$(median $files)")"
	done
}

NAMES=(capuchin $PEERS)
start_capuchin
for p in $PEERS; do "start_$p"; done
for name in "${NAMES[@]}"; do
	for f in $FILES; do check_size "http://127.0.0.1:${PORT[$name]}/$f" "${FILE_BYTES[$f]}" || die "$name serves wrong content"; done
done

if ((FAILOVER)); then
	printf '| proxy | requests | failed | req/s | p99 |\n|---|---|---|---|---|\n'
	victim=0
	for name in "${NAMES[@]}"; do
		out=$WORK/failover-$name.txt
		run "$name" 1k.bin "$WARMUP" /dev/null
		run "$name" 1k.bin "$FAILOVER_DURATION" "$out" &
		wrk_pid=$!
		sleep $((FAILOVER_DURATION / 2))
		log "killing backend $victim (port ${BACKEND_PORTS[$victim]}) under $name's load"
		kill -9 "${BACKEND_PIDS[$victim]}" 2>/dev/null || true
		wait "$wrk_pid" || true
		read -r rps p99 errors < <(parse_wrk "$out")
		total=$(awk '/requests in/ { print $1 }' "$out")
		printf '| %s | %s | %s | %s | %s |\n' "$name" "${total:-n/a}" "$errors" "$(fmt_int "$rps")" "$(fmt_ms "$p99")"
		victim=$((victim + 1))
	done
	exit 0
fi

for name in "${NAMES[@]}"; do
	log "warming up $name for ${WARMUP}s"
	run "$name" 1k.bin "$WARMUP" /dev/null
	if ((CACHED)); then
		# every file stored before measuring: the runs measure hits only
		for f in $FILES; do run "$name" "$f" 2 /dev/null; done
		if [[ $name == capuchin ]]; then
			for f in $FILES; do run capuchin "static/$f" 2 /dev/null; done
			for f in $FILES; do
				run capuchin "disk/$f" 2 /dev/null
				status=$(curl -s -o /dev/null -D - "http://127.0.0.1:${PORT[capuchin]}/disk/$f" | tr -d '\r' | grep -i '^cache-status:' || true)
				log "capuchin disk/$f: ${status:-no cache header}"
			done
		fi
		for f in $FILES; do
			status=$(curl -s -o /dev/null -D - "http://127.0.0.1:${PORT[$name]}/$f" | tr -d '\r' | grep -i -E '^(cache-status|x-cache-status):' || true)
			log "$name $f: ${status:-no cache header}"
		done
	fi
done
printf '| file | proxy | req/s | p99 | Capuchin / proxy |\n|---|---|---|---|---|\n'
for f in $FILES; do
	declare -A RPS=() P99=()
	for ((r = 0; r < ROUNDS; r++)); do
		for name in "${NAMES[@]}"; do
			out=$WORK/$name-$f-$r.txt
			run "$name" "$f" "$DURATION" "$out"
			read -r rps p99 errors < <(parse_wrk "$out")
			[[ $errors == 0 ]] || warn "$name $f: $errors failed requests"
			RPS[$name]+="$rps " P99[$name]+="$p99 "
			sleep 1
		done
	done
	# shellcheck disable=SC2086
	base=$(median ${RPS[capuchin]})
	for name in "${NAMES[@]}"; do
		# shellcheck disable=SC2086
		rps=$(median ${RPS[$name]}) p99=$(median ${P99[$name]})
		printf '| %s | %s | %s | %s | %s |\n' "$f" "$name" "$(fmt_int "$rps")" "$(fmt_ms "$p99")" "$(ratio "$base" "$rps")"
	done
done
((CACHED)) && cached_vs_static
exit 0
