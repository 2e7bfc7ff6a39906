#!/bin/sh
# Runs the LogQueue broker on Payara Micro, by default on http://127.0.0.1:8080 with the
# embedded H2 database under ./data. In the repository it builds the broker first if needed.
# Everything is set by environment variables (README, "Configuration"); extra arguments go to
# Payara Micro. POSIX sh: the official Payara Micro image has no bash.
set -eu

config="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$config")"
war="${LOGQUEUE_WAR:-$root/broker-war/target/logqueue.war}"
micro="${LOGQUEUE_MICRO_JAR:-$root/broker-war/target/runtime/payara-micro.jar}"
driver="${LOGQUEUE_POSTGRESQL_JAR:-$root/broker-war/target/runtime/postgresql.jar}"

if [ -z "${LOGQUEUE_WAR:-}" ] && [ -f "$root/pom.xml" ]; then
  stale=missing
  if [ -f "$war" ] && [ -f "$micro" ]; then
    stale="$(find "$root/pom.xml" "$root/broker-war/pom.xml" "$root/broker-war/src" -newer "$war" | head -n 1)"
  fi
  if [ -n "$stale" ]; then
    echo "Building the broker (mvn package)..." >&2
    mvn -q -B -f "$root/pom.xml" -pl broker-war -am package -DskipTests -Dspotless.check.skip=true >&2
  fi
fi

export LOGQUEUE_HOST="${LOGQUEUE_HOST:-127.0.0.1}"
export LOGQUEUE_PORT="${LOGQUEUE_PORT:-8080}"
export LOGQUEUE_DATA_DIR="${LOGQUEUE_DATA_DIR:-$root/data}"
mkdir -p "$LOGQUEUE_DATA_DIR"

case "${LOGQUEUE_DB:-h2}" in
  h2)
    set -- --postbootcommandfile "$config/post-boot-h2.asadmin" "$@"
    ;;
  postgresql)
    export LOGQUEUE_DB_HOST="${LOGQUEUE_DB_HOST:-127.0.0.1}"
    export LOGQUEUE_DB_PORT="${LOGQUEUE_DB_PORT:-5432}"
    export LOGQUEUE_DB_NAME="${LOGQUEUE_DB_NAME:-logqueue}"
    export LOGQUEUE_DB_USER="${LOGQUEUE_DB_USER:-postgres}"
    export LOGQUEUE_DB_PASSWORD="${LOGQUEUE_DB_PASSWORD:-postgres}"
    set -- --addlibs "$driver" --postbootcommandfile "$config/post-boot-postgresql.asadmin" "$@"
    ;;
  *)
    echo "LOGQUEUE_DB must be h2 or postgresql, not '${LOGQUEUE_DB}'" >&2
    exit 2
    ;;
esac

# One broker per data directory. Payara's runtime folder lives there too (not in the temporary
# folder, which the system may clean), made anew at every start: Payara would otherwise deploy
# the WAR it kept from the last run besides the one given here.
lock="$LOGQUEUE_DATA_DIR/broker.pid"
if [ -f "$lock" ] && kill -0 "$(cat "$lock")" 2>/dev/null; then
  echo "Another broker (pid $(cat "$lock")) runs on $LOGQUEUE_DATA_DIR; stop it first" >&2
  exit 1
fi
echo $$ >"$lock"
rm -rf "$LOGQUEUE_DATA_DIR/payara"

# exec: the broker keeps this shell's pid (the lock's) and gets its signals (Ctrl-C, SIGTERM).
# LOGQUEUE_JAVA_OPTS holds several options: split on purpose.
# shellcheck disable=SC2086
exec java ${LOGQUEUE_JAVA_OPTS:--Xmx512m} -jar "$micro" \
  --deploy "$war" --contextroot / --nohazelcast \
  --rootdir "$LOGQUEUE_DATA_DIR/payara" \
  --prebootcommandfile "$config/pre-boot.asadmin" \
  --postdeploycommandfile "$config/post-deploy.asadmin" \
  --logproperties "$config/logging.properties" "$@"
