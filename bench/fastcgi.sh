# shellcheck shell=bash
# bench/fastcgi.sh - the FastCGI part of bench/cgi.sh: a hello-world PHP page through
# php-fpm, Capuchin's plugin-fastcgi beside nginx's fastcgi_pass (upstream keepalive +
# fastcgi_keep_conn on), each on its own identical pool of one php-fpm master (see
# start_php_fpm for why not one shared pool). Sourced by bench/cgi.sh after
# its helpers (log, die, render, free_port, track_pid, stop_pid, check_size, rss_mb from
# lib.sh; start_capuchin, compare, show_logs, WORK, PORT, PID, LOGS, RESULT_MD from
# cgi.sh), then `bench_fastcgi` runs it and appends one row (and the RSS row) to the
# report.
#
# Pinning: php-fpm runs on SERVER_CPU with the server in front of it, so Capuchin and
# nginx each share their core with the same php-fpm, and wrk keeps LOAD_CPU to itself.
#
# Environment (defaults in brackets):
#   PHP_CHILDREN [4]   children of each pool (pm = static); each server keeps at most this
#                      many connections to its pool (each kept connection holds a child)
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

# start_php_fpm NAME: one php-fpm master on SERVER_CPU, as the current user (-R when
# root), with two identical static pools on unix sockets in WORK/NAME: one for Capuchin
# (PHP_SOCKET_CAPUCHIN), one for nginx (PHP_SOCKET_NGINX). A php-fpm child serves one
# connection at a time and both servers keep theirs open, so on one shared pool the
# server measured second found every child held by the other's idle connections and
# waited (the first runs of this script measured that, not the server); the pool of
# the server not being measured sleeps in accept().
start_php_fpm() {
	local name=$1 dir=$WORK/$1 binary args=() pool
	# the binary's name carries the PHP version (php-fpm8.2): looked for, not asked of ensure_tools
	binary=$(fastcgi_php_fpm_binary) || {
		install_packages php-fpm
		binary=$(fastcgi_php_fpm_binary)
	} || die "php-fpm is not installed (apt-get install php-fpm)"
	mkdir -p "$dir"
	PHP_SOCKET_CAPUCHIN=$dir/capuchin.sock
	PHP_SOCKET_NGINX=$dir/nginx.sock
	cat >"$dir/php-fpm.conf" <<-CONF
		[global]
		pid = $dir/php-fpm.pid
		error_log = $dir/error.log
		daemonize = no
	CONF
	for pool in capuchin nginx; do
		cat >>"$dir/php-fpm.conf" <<-CONF

			[$pool]
			listen = $dir/$pool.sock
			listen.mode = 0666
			listen.backlog = 4096
			pm = static
			pm.max_children = ${PHP_CHILDREN:-4}
			pm.max_requests = 0
			clear_env = yes
		CONF
	done
	[[ $(id -u) == 0 ]] && args+=(-R)
	log "starting $name: taskset -c $SERVER_CPU $binary --nodaemonize --fpm-config $dir/php-fpm.conf ${args[*]}"
	LOGS[$name]="$dir/error.log $dir/stdout.log"
	taskset -c "$SERVER_CPU" "$binary" --nodaemonize --fpm-config "$dir/php-fpm.conf" "${args[@]}" \
		>"$dir/stdout.log" 2>&1 &
	PID[$name]=$!
	track_pid "${PID[$name]}"
	local i
	for ((i = 0; i < 100; i++)); do
		[[ -S $PHP_SOCKET_CAPUCHIN && -S $PHP_SOCKET_NGINX ]] && return 0
		kill -0 "${PID[$name]}" 2>/dev/null || break
		sleep 0.1
	done
	show_logs "$name"
	die "$name did not create $PHP_SOCKET_CAPUCHIN and $PHP_SOCKET_NGINX"
}

# start_nginx_fastcgi NAME ROOT CHECK: nginx pinned, fastcgi_pass to PHP_SOCKET_NGINX.
start_nginx_fastcgi() {
	local name=$1 root=$2 check=$3 dir=$WORK/$1 port
	mkdir -p "$dir"
	free_port port
	PORT[$name]=$port
	render "$BENCH_DIR/conf/nginx-fastcgi.conf" "$dir/nginx.conf" "DIR=$dir" "PORT=$port" "ROOT=$root" \
		"SOCKET=$PHP_SOCKET_NGINX" "KEEPALIVE=${PHP_CHILDREN:-4}"
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
	start_php_fpm php-fpm
	start_capuchin capuchin-fastcgi "$(printf '%s\n' 'name: bench' 'server-names: [localhost]' 'default: true' \
		"document-root: $root" 'locations:' '  - match: "\\.php$"' \
		"    fastcgi: {pass: \"unix:$PHP_SOCKET_CAPUCHIN\", index: index.php, max-connections: $children}")" \
		fastcgi /hello.php
	start_nginx_fastcgi nginx-fastcgi "$root" /hello.php
	check_size "http://127.0.0.1:${PORT[capuchin-fastcgi]}/hello.php" 13 || die "capuchin-fastcgi: wrong answer"
	check_size "http://127.0.0.1:${PORT[nginx-fastcgi]}/hello.php" 13 || die "nginx-fastcgi: wrong answer"
	compare "hello-world PHP, php-fpm $(fastcgi_php_fpm_binary | xargs -r basename) ($children children per server), nginx $(dpkg-query -W -f='${Version}' nginx 2>/dev/null || echo '?') fastcgi_pass" \
		/hello.php capuchin-fastcgi nginx-fastcgi
	echo "| RSS after the runs (PHP) | $(rss_mb "${PID[capuchin-fastcgi]}") MB | $(rss_mb "${PID[nginx-fastcgi]}") MB | | | |" >>"$RESULT_MD"
	stop_pid "${PID[capuchin-fastcgi]}" 10
	stop_pid "${PID[nginx-fastcgi]}" 5
	stop_pid "${PID[php-fpm]}" 5
}
