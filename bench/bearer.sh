#!/usr/bin/env bash
# bench/bearer.sh - a bearer-protected 1 KiB file beside the same file unprotected.
#
# Method (see README.md): one Capuchin with the auth profile serves /1k.bin (no
# auth block) and /protected/1k.bin (auth: {bearer: ...}, audience and scope
# required) from the same document root; a static issuer on loopback (python3
# http.server: discovery document and JWK set, keys and token made with node's
# crypto) vouches for one RS256 token. Both URLs get the same request, the same
# Authorization header included, so only the check differs. After the warm-up
# (which also fills the JWK set and the verified-token cache) the two are measured
# alternately (A, B, A, B...); medians are compared as protected / unprotected.
# Target: >= 0.9 with a cached JWK set.
#
# Usage: bench/bearer.sh [--build] [--quick]
#   --build   build the jar first (./mvnw -B -DskipTests package)
#   --quick   smoke run: WARMUP=5 DURATION=3 ROUNDS=1 (unless set)
#
# Environment: as bench/auth-pair.sh says (WARMUP, DURATION, ROUNDS, SERVER_CPU,
# LOAD_CPU, PAUSE, CAPUCHIN_ARGS, JAVA, CAPUCHIN_JAR, KEEP_TMP); the issuer shares
# LOAD_CPU with wrk. CAPUCHIN_ARGS="--capuchin.plugins.auth.bearer.token-cache-ttl=0s"
# checks the signature on every request.
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
pair_setup bearer "$@"

# --- Capuchin, the check, the load --------------------------------------------------

pair_issuer
pair_start /protected/ "    auth: { bearer: { issuer: \"$ISSUER\", audience: bench-api, scopes: [read] } }"
pair_check "Authorization: Bearer $TOKEN"
pair_run "Bearer tokens: a protected 1 KiB file beside the same file unprotected" \
	"Authorization: Bearer <RS256 JWT>"
