# shellcheck shell=bash
# bench/fastcgi.sh - the FastCGI part of bench/cgi.sh: a hello-world PHP page through
# php-fpm, Capuchin's plugin-fastcgi beside nginx's fastcgi_pass (upstream keepalive +
# fastcgi_keep_conn on), both on the same php-fpm pool. Sourced by bench/cgi.sh after
# its helpers (log, die, render, free_port, track_pid, stop_pid, check_size, rss_mb from
# lib.sh; start_capuchin, compare, show_logs, WORK, PORT, PID, LOGS, RESULT_MD from
# cgi.sh), then `bench_fastcgi` runs it and appends one row (and the RSS row) to the
# report.
#
# Pinning: php-fpm runs on SERVER_CPU with the server in front of it, so Capuchin and
# nginx each share their core with the same pool, and wrk keeps LOAD_CPU to itself.
#
# Environment (defaults in brackets):
#   PHP_CHILDREN [4]   php-fpm's children (pm = static); both servers keep at most this
#                      many connections to it (each kept connection holds a child)
#   PHP_FPM []         the php-fpm binary (else php-fpm on PATH, else /usr/sbin/php-fpm*)

# fastcgi_php_fpm_binary: prints the php-fpm binary, found as .ci/run finds it.
fastcgi_php_fpm_binary() {
	if [[ -n ${PHP_FPM:-} ]]; then
		echo "$PHP_FPM"
		return
	fi
	command -v php-fpm 2>/dev/null && return
	local candidate
	for candidate in /usr/sbin/php-fpm*; do
		[[ -x $candidate ]] && { echo "$candidate"; return; }
	done
	return 1
}

# start_php_fpm NAME ROOT: one static php-fpm pool on a unix socket in WORK/NAME,
# pinned to SERVER_CPU, as the current user (-R when root); sets PHP_SOCKET.
start_php_fpm() {
	local name=$1 dir=$WORK/$1 binary args=()
	binary=$(fastcgi_php_fpm_binary) || die "php-fpm is not installed (apt-get install php-fpm)"
	mkdir -p "$dir"
	PHP_SOCKET=$dir/php-fpm.sock
	cat >"$dir/php-fpm.conf" <<-CONF
		[global]
		pid = $dir/php-fpm.pid
		error_log = $dir/error.log
		daemonize = no

		[bench]
		listen = $PHP_SOCKET
		listen.mode = 0666
		listen.backlog = 4096
		pm = static
		pm.max_children = ${PHP_CHILDREN:-4}
		pm.max_requests = 0
		clear_env = yes
	CONF
	[[ $(id -u) == 0 ]] && args+=(-R)
	log "starting $name: taskset -c $SERVER_CPU $binary --nodaemonize --fpm-config $dir/php-fpm.conf ${args[*]}"
	LOGS[$name]="$dir/error.log $dir/stdout.log"
	taskset -c "$SERVER_CPU" "$binary" --nodaemonize --fpm-config "$dir/php-fpm.conf" "${args[@]}" \
		>"$dir/stdout.log" 2>&1 &
	PID[$name]=$!
	track_pid "${PID[$name]}"
	local i
	for ((i = 0; i < 100; i++)); do
		[[ -S $PHP_SOCKET ]] && return 0
		kill -0 "${PID[$name]}" 2>/dev/null || break
		sleep 0.1
	done
	show_logs "$name"
	die "$name did not create $PHP_SOCKET"
}

# start_nginx_fastcgi NAME ROOT CHECK: nginx pinned, fastcgi_pass to PHP_SOCKET.
start_nginx_fastcgi() {
	local name=$1 root=$2 check=$3 dir=$WORK/$1 port
	mkdir -p "$dir"
	free_port port
	PORT[$name]=$port
	render "$BENCH_DIR/conf/nginx-fastcgi.conf" "$dir/nginx.conf" "DIR=$dir" "PORT=$port" "ROOT=$root" \
		"SOCKET=$PHP_SOCKET" "KEEPALIVE=${PHP_CHILDREN:-4}"
	log "starting $name on 127.0.0.1:$port"
	LOGS[$name]="$dir/error.log $dir/stdout.log"
	taskset -c "$SERVER_CPU" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/stdout.log" 2>&1 &
	PID[$name]=$!
	track_pid "${PID[$name]}"
	wait_http "http://127.0.0.1:$port$check" "${PID[$name]}" 15 || { show_logs "$name"; die "$name did not answer $check"; }
}

# bench_fastcgi: hello.php through php-fpm, Capuchin beside nginx; one report row.
bench_fastcgi() {
	local root=$WORK/php-htdocs children=${PHP_CHILDREN:-4}
	ensure_tools nginx:nginx
	mkdir -p "$root"
	printf '%s\n' '<?php' 'header("Content-Type: text/plain");' 'echo "Hello, world\n";' >"$root/hello.php"
	chmod 755 "$root"
	chmod 644 "$root/hello.php"
	start_php_fpm php-fpm "$root"
	start_capuchin capuchin-fastcgi "$(printf '%s\n' 'name: bench' 'server-names: [localhost]' 'default: true' \
		"document-root: $root" 'locations:' '  - match: "\\.php$"' \
		"    fastcgi: {pass: \"unix:$PHP_SOCKET\", index: index.php, max-connections: $children}")" \
		fastcgi /hello.php
	start_nginx_fastcgi nginx-fastcgi "$root" /hello.php
	check_size "http://127.0.0.1:${PORT[capuchin-fastcgi]}/hello.php" 13 || die "capuchin-fastcgi: wrong answer"
	check_size "http://127.0.0.1:${PORT[nginx-fastcgi]}/hello.php" 13 || die "nginx-fastcgi: wrong answer"
	compare "hello-world PHP, php-fpm $(fastcgi_php_fpm_binary | xargs -r basename) ($children children), nginx $(dpkg-query -W -f='${Version}' nginx 2>/dev/null || echo '?') fastcgi_pass" \
		/hello.php capuchin-fastcgi nginx-fastcgi
	echo "| RSS after the runs (PHP) | $(rss_mb "${PID[capuchin-fastcgi]}") MB | $(rss_mb "${PID[nginx-fastcgi]}") MB | | | |" >>"$RESULT_MD"
	stop_pid "${PID[capuchin-fastcgi]}" 10
	stop_pid "${PID[nginx-fastcgi]}" 5
	stop_pid "${PID[php-fpm]}" 5
}
