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

# Authentication (README, Security). The key that verifies tokens may be given as a path: Payara
# reads a URL.
if [ -n "${MP_JWT_VERIFY_PUBLICKEY_LOCATION:-}" ]; then
  case "$MP_JWT_VERIFY_PUBLICKEY_LOCATION" in
    /*) export MP_JWT_VERIFY_PUBLICKEY_LOCATION="file://$MP_JWT_VERIFY_PUBLICKEY_LOCATION" ;;
  esac
fi
if [ "${LOGQUEUE_AUTH:-}" = jwt ] && [ -z "${MP_JWT_VERIFY_PUBLICKEY_LOCATION:-}${MP_JWT_VERIFY_PUBLICKEY:-}" ]; then
  echo "LOGQUEUE_AUTH=jwt needs the public key that verifies tokens: set" \
    "MP_JWT_VERIFY_PUBLICKEY_LOCATION (README, Security)" >&2
  exit 2
fi
# Without authentication the broker serves loopback only: refuse to listen elsewhere, unless
# LOGQUEUE_AUTH=none says so on purpose.
case "$LOGQUEUE_HOST" in
  127.*|localhost|::1|'[::1]') ;;
  *)
    if [ -z "${MP_JWT_VERIFY_PUBLICKEY_LOCATION:-}${MP_JWT_VERIFY_PUBLICKEY:-}" ] \
      && [ "${LOGQUEUE_AUTH:-}" != none ]; then
      echo "LogQueue will not listen on $LOGQUEUE_HOST without authentication: anyone who reaches" \
        "it could read, write and delete every topic. Set MP_JWT_VERIFY_PUBLICKEY_LOCATION to the" \
        "public key that verifies tokens (README, Security), or LOGQUEUE_AUTH=none to serve" \
        "everyone on purpose." >&2
      exit 2
    fi
    ;;
esac

# Listeners: HTTP on LOGQUEUE_PORT unless LOGQUEUE_HTTP=off; HTTPS on LOGQUEUE_TLS_PORT when a
# PKCS12 keystore is given. Payara runs the commands of one file once every application is
# deployed: this data directory's copy of the ones asked for.
listeners="$LOGQUEUE_DATA_DIR/post-deploy.asadmin"
: >"$listeners"
if [ "${LOGQUEUE_HTTP:-on}" != off ]; then
  cat "$config/post-deploy.asadmin" >>"$listeners"
fi
if [ -n "${LOGQUEUE_TLS_KEYSTORE:-}" ]; then
  if [ ! -r "$LOGQUEUE_TLS_KEYSTORE" ]; then
    echo "LOGQUEUE_TLS_KEYSTORE: cannot read $LOGQUEUE_TLS_KEYSTORE" >&2
    exit 2
  fi
  if [ -z "${LOGQUEUE_TLS_KEYSTORE_PASSWORD:-}" ]; then
    echo "LOGQUEUE_TLS_KEYSTORE_PASSWORD is needed with LOGQUEUE_TLS_KEYSTORE" >&2
    exit 2
  fi
  export LOGQUEUE_TLS_PORT="${LOGQUEUE_TLS_PORT:-8443}"
  export LOGQUEUE_TLS_ALIAS="${LOGQUEUE_TLS_ALIAS:-logqueue}"
  cat "$config/post-deploy-https.asadmin" >>"$listeners"
elif [ "${LOGQUEUE_HTTP:-on}" = off ]; then
  echo "LOGQUEUE_HTTP=off leaves no listener: give LOGQUEUE_TLS_KEYSTORE too" >&2
  exit 2
fi

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
    # one server, or a primary and its standbys: host:port,host:port (the driver writes to the one
    # that takes writes)
    export LOGQUEUE_DB_HOSTS="${LOGQUEUE_DB_HOSTS:-$LOGQUEUE_DB_HOST:$LOGQUEUE_DB_PORT}"
    set -- --addlibs "$driver" --postbootcommandfile "$config/post-boot-postgresql.asadmin" "$@"
    ;;
  *)
    echo "LOGQUEUE_DB must be h2 or postgresql, not '${LOGQUEUE_DB}'" >&2
    exit 2
    ;;
esac

# A cluster (README, Cluster): the data grid's addresses of the members, host:port,...; the
# members share one PostgreSQL database. Failure detection and the merge after a split are tuned
# for seconds, not Hazelcast's minutes.
grid=--nohazelcast
if [ -n "${LOGQUEUE_CLUSTER_MEMBERS:-}" ]; then
  if [ "${LOGQUEUE_DB:-h2}" != postgresql ]; then
    echo "A cluster's members share one database: set LOGQUEUE_DB=postgresql (README, Cluster)" >&2
    exit 2
  fi
  export LOGQUEUE_CLUSTER_PORT="${LOGQUEUE_CLUSTER_PORT:-5900}"
  export LOGQUEUE_CLUSTER_INTERFACE="${LOGQUEUE_CLUSTER_INTERFACE:-$LOGQUEUE_HOST}"
  if [ -z "${LOGQUEUE_ADVERTISE_URL:-}" ]; then
    if [ "${LOGQUEUE_HTTP:-on}" = off ]; then
      export LOGQUEUE_ADVERTISE_URL="https://$LOGQUEUE_HOST:$LOGQUEUE_TLS_PORT"
    else
      export LOGQUEUE_ADVERTISE_URL="http://$LOGQUEUE_HOST:$LOGQUEUE_PORT"
    fi
  fi
  heartbeat="${LOGQUEUE_CLUSTER_TIMEOUT_SECONDS:-5}"
  grid="--clustermode tcpip:$LOGQUEUE_CLUSTER_MEMBERS --startport $LOGQUEUE_CLUSTER_PORT"
  grid="$grid --interfaces $LOGQUEUE_CLUSTER_INTERFACE --clustername ${LOGQUEUE_CLUSTER_NAME:-logqueue}"
  grid="$grid --nohostaware --hzinitialjoinwait 1"
  LOGQUEUE_JAVA_OPTS="${LOGQUEUE_JAVA_OPTS:--Xmx512m} -Dhazelcast.max.no.heartbeat.seconds=$heartbeat"
  LOGQUEUE_JAVA_OPTS="$LOGQUEUE_JAVA_OPTS -Dhazelcast.heartbeat.interval.seconds=1"
  LOGQUEUE_JAVA_OPTS="$LOGQUEUE_JAVA_OPTS -Dhazelcast.merge.first.run.delay.seconds=5"
  LOGQUEUE_JAVA_OPTS="$LOGQUEUE_JAVA_OPTS -Dhazelcast.merge.next.run.delay.seconds=5"
fi

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
# LOGQUEUE_JAVA_OPTS and grid hold several options: split on purpose.
# shellcheck disable=SC2086
exec java ${LOGQUEUE_JAVA_OPTS:--Xmx512m} -jar "$micro" \
  --deploy "$war" --contextroot / $grid \
  --rootdir "$LOGQUEUE_DATA_DIR/payara" \
  --prebootcommandfile "$config/pre-boot.asadmin" \
  --postdeploycommandfile "$listeners" \
  --logproperties "$config/logging.properties" "$@"
