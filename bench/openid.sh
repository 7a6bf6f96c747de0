#!/usr/bin/env bash
# bench/openid.sh - a 1 KiB file behind an OpenID sign-in, with a valid session
# cookie, beside the same file unprotected.
#
# Method (see README.md): one Capuchin with the auth profile serves /1k.bin (no
# auth block) and /team/1k.bin (auth: {openid: {login: corp}}, a groups rule) from
# the same document root. The login is made through the API against a static issuer
# on loopback (discovery document and keys, python3 http.server), as an admin would.
# A browser that signed in holds a session cookie; here the cookie is sealed directly
# with the location's session key (HKDF of a master key the script sets; JWE dir +
# A256GCM through node's crypto; the claims Capuchin itself writes): with a valid
# session the provider is never asked. Both URLs get the same request, the same
# Cookie header included, so only the session check differs. After the warm-up the
# two are measured alternately (A, B, A, B...); medians are compared as protected /
# unprotected. Target: >= 0.9.
#
# Usage: bench/openid.sh [--build] [--quick]
#   --build   build the jar first (./mvnw -B -DskipTests package)
#   --quick   smoke run: WARMUP=5 DURATION=3 ROUNDS=1 (unless set)
#
# Environment: as bench/auth-pair.sh says (WARMUP, DURATION, ROUNDS, SERVER_CPU,
# LOAD_CPU, PAUSE, CAPUCHIN_ARGS, JAVA, CAPUCHIN_JAR, KEEP_TMP).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$REPO_ROOT"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BENCH_DIR/lib.sh"
# shellcheck source-path=SCRIPTDIR source=auth-pair.sh
source "$BENCH_DIR/auth-pair.sh"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

PAIR_TOOLS=(python3:python3 node:nodejs)
pair_setup openid "$@"

# --- the provider, the login, the location ------------------------------------------

# a static issuer (discovery and keys only): with a valid session the provider is never
# asked, but the login is checked against its discovery document when it is saved
pair_issuer
MASTER_KEY=$(head -c 32 /dev/urandom | base64 -w0)
export CAPUCHIN_MASTER_KEY=$MASTER_KEY
pair_start /team/ ""
api() {
	local method=$1 path=$2 body=$3 got
	got=$(curl -sS -o "$WORK/api.out" -w '%{http_code}' -u "admin:$ADMIN_PASSWORD" -X "$method" \
		-H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$CONTROL$path")
	[[ $got == 20? ]] || die "$method $path: $got $(cat "$WORK/api.out")"
}
api POST /api/openid-logins '{"name": "corp", "issuer": "'"$ISSUER"'", "client-id": "capuchin", "client-secret": "s3cret"}'
api PUT /api/sites/bench '{"server-names": ["localhost"], "default": true, "document-root": "'"$WORK/htdocs"'", "locations": [{"path": "/team/", "auth": {"openid": {"login": "corp", "require": {"claims": {"groups": ["staff"]}}}}}]}'

# seal_session: prints the session cookie a sign-in would make now, sealed with the
# location's key: HKDF-SHA256 of the master key (zero salt, info "capuchin openid session
# corp"), as every node derives it. Capuchin writes a session again once
# it is a minute old (a new last-seen time); a browser takes the new cookie, wrk cannot,
# so each wrk run gets a cookie made as it starts (runs last under a minute) and the
# server is not asked to write a cookie on every request of a stale one.
seal_session() {
	KEY=$MASTER_KEY node -e '
	const crypto = require("crypto");
	const key = Buffer.from(crypto.hkdfSync("sha256", Buffer.from(process.env.KEY, "base64"), Buffer.alloc(32),
		Buffer.from("capuchin openid session corp"), 32));
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
'
}
SESSION=$(seal_session)
[[ $SESSION =~ ^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$ ]] || die "could not make a session cookie"

# --- the check and the load -------------------------------------------------------------

# the change reaches the data plane within a moment; a request that is not a page
# navigation gets 401 rather than the provider's sign-in page
for ((i = 0; i < 50; i++)); do
	[[ $(curl -sS -o /dev/null -w '%{http_code}' -H 'Accept: application/json' "http://127.0.0.1:$PORT/team/1k.bin") == 401 ]] && break
	sleep 0.1
done
pair_check "Cookie: capuchin-openid-corp=$SESSION" -H 'Accept: application/json'
pair_fresh_credential() { AUTH="Cookie: capuchin-openid-corp=$(seal_session)"; }
pair_run "OpenID sign-in: a 1 KiB file with a valid session cookie beside the same file unprotected" \
	"Cookie: capuchin-openid-corp=<session JWE>"
