#!/usr/bin/env bash
# bench/tlsgrade.sh - testssl.sh against a Capuchin TLS listener with the default
# TLS settings, on loopback. Prints every finding from LOW up and fails (exit 1)
# on any finding above LOW.
#
# The certificate is one this script makes (self-signed, ECDSA P-256, a year):
# the findings that are about who signed it, not about the server's TLS
# configuration, are printed but not counted (IGNORED below).
#
# Usage: bench/tlsgrade.sh [--build]
#   --build   build the jar first (./mvnw -B -DskipTests package)
#
# Environment (defaults in brackets):
#   CAPUCHIN_ARGS []   extra arguments for Capuchin, e.g. "--capuchin.server.tls.engine=jdk"
#   JAVA [java]
#   CAPUCHIN_JAR [platform-app/target/capuchin.jar]
#   KEEP_TMP [0]       1: keep the temp dir (testssl's JSON, the server log)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$REPO_ROOT"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BENCH_DIR/lib.sh"

JAR=${CAPUCHIN_JAR:-platform-app/target/capuchin.jar}
JAVA=${JAVA:-java}
CAPUCHIN_ARGS=${CAPUCHIN_ARGS:-}
# testssl ids about the certificate's issuer and revocation pointers, which a
# self-signed test certificate cannot satisfy
IGNORED="cert_chain_of_trust cert_trust cert_revocation cert_crlDistributionPoints cert_ocspURL cert_caIssuers"

BUILD=0
case ${1:-} in
--build) BUILD=1 ;;
'') ;;
*) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; die "unknown option: $1" ;;
esac

ensure_tools testssl:testssl.sh curl:curl openssl:openssl python3:python3
if ((BUILD)); then
	timeout 1800 ./mvnw -B -DskipTests package >&2 || die "build failed"
fi
[[ -f $JAR ]] || die "missing $JAR: build it with ./mvnw -B -DskipTests package (or --build)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/capuchin-tlsgrade.XXXXXX")
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

mkdir -p "$WORK/htdocs" "$WORK/sites"
echo "grade" >"$WORK/htdocs/index.html"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 -subj /CN=localhost \
	-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null ||
	die "openssl could not make a certificate"
cat >"$WORK/sites/grade.yml" <<SITE
name: grade
server-names: [localhost]
default: true
document-root: $WORK/htdocs
SITE

free_port port
free_port control
read -ra extra <<<"$CAPUCHIN_ARGS"
cmd=("$JAVA" -jar "$JAR" --spring.config.location=classpath:/
	"--capuchin.server.listeners[0].address=127.0.0.1:$port"
	"--capuchin.server.listeners[0].tls.certificate=$WORK/cert.pem"
	"--capuchin.server.listeners[0].tls.private-key=$WORK/key.pem"
	"--capuchin.server.listeners[0].http2=true"
	"--capuchin.sites-dir=$WORK/sites"
	"--spring.datasource.url=jdbc:h2:file:$WORK/store"
	"--server.port=$control" --server.address=127.0.0.1
	"${extra[@]}")
log "starting capuchin on 127.0.0.1:$port"
"${cmd[@]}" >"$WORK/server.log" 2>&1 &
pid=$!
track_pid "$pid"
deadline=$((SECONDS + 180))
until curl -kfsS -o /dev/null --max-time 2 "https://127.0.0.1:$port/" 2>/dev/null; do
	kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)) || { tail -40 "$WORK/server.log" >&2; die "capuchin did not start"; }
	sleep 0.5
done
grep -m1 'TLS engine' "$WORK/server.log" >&2 || true

log "running testssl (a few minutes)"
testssl --quiet --color 0 --warnings off --ip one --jsonfile "$WORK/testssl.json" \
	"https://localhost:$port" >"$WORK/testssl.txt" 2>&1 || true
[[ -s $WORK/testssl.json ]] || { tail -40 "$WORK/testssl.txt" >&2; die "testssl wrote no findings"; }

python3 - "$WORK/testssl.json" "$IGNORED" <<'PY'
import json, sys
order = ["OK", "INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"]
findings = json.load(open(sys.argv[1]))
ignored = set(sys.argv[2].split())
failed = 0
for f in findings:
    severity = f.get("severity", "INFO")
    if severity not in order or order.index(severity) < order.index("LOW"):
        continue
    note = ""
    if f["id"] in ignored:
        note = "  (ignored: test certificate)"
    elif order.index(severity) > order.index("LOW"):
        failed += 1
    print(f"{severity:8} {f['id']}: {f.get('finding', '')}{note}")
print(f"{failed} finding(s) above LOW")
sys.exit(1 if failed else 0)
PY
