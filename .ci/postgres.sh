#!/usr/bin/env bash
# Installs and starts a local PostgreSQL for the store tests, and creates their database.
# Idempotent; prints the JDBC URL the tests use.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! command -v pg_ctlcluster >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
	apt-get update
	apt-get install -y postgresql
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
	pg_createcluster "$version" main
fi
# already running is fine; any other failure shows in the wait below
pg_ctlcluster "$version" main start 2>/dev/null || true
ready=false
for _ in $(seq 1 30); do
	if pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then
		ready=true
		break
	fi
	sleep 1
done
if [[ $ready != true ]]; then
	echo "PostgreSQL $version did not accept connections on 127.0.0.1:5432 within 30 s" >&2
	pg_lsclusters >&2 || true
	exit 1
fi
su postgres -c "psql -v ON_ERROR_STOP=1 -q" <<'SQL'
do $$ begin
  if not exists (select from pg_roles where rolname = 'capuchin') then
    create role capuchin login password 'capuchin';
  end if;
end $$;
SQL
if ! su postgres -c "psql -tAc \"select 1 from pg_database where datname = 'capuchin_test'\"" | grep -q 1; then
	su postgres -c "createdb -O capuchin capuchin_test"
fi
echo "jdbc:postgresql://127.0.0.1:5432/capuchin_test"
