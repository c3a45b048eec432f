#!/usr/bin/env bash
# Sourced by test.sh: makes sure a PostgreSQL 15 answers on 127.0.0.1:5432 and Chromium is
# installed, installing them from Debian's packages where missing.
set -euo pipefail

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

postgres_answers() {
  (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null
}

if ! postgres_answers; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "services: installing PostgreSQL from Debian's packages"
    apt_install postgresql
  fi
  version="$(ls /etc/postgresql | sort -n | tail -1)"
  echo "services: starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do postgres_answers && break; sleep 1; done
  # A fresh Debian cluster asks TCP clients for a password: give the postgres role the one the
  # tests use (servers set up with trust authentication ignore it).
  su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null || echo "services: could not set the postgres password"
fi
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres:postgres@127.0.0.1:5432}"
export BACKSTAGE_TEST_DISABLE_DOCKER=1

if [ ! -x /usr/bin/chromium ]; then
  echo "services: installing Chromium from Debian's packages"
  apt_install chromium
fi
