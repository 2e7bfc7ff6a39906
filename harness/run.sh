#!/bin/sh
# The full crash, outage and hostile-input runs (the build runs short versions):
#   harness/run.sh all                     20 kill -9 cycles on H2 and on PostgreSQL, a 30 s
#                                          PostgreSQL outage, 5000 hostile requests (~20 min)
#   harness/run.sh crash --cycles 20 --databases postgresql
#   harness/run.sh outage --outage 30
#   harness/run.sh hostile --requests 20000
#   harness/run.sh dbfailover --cycles 10  a primary and a standby of Debian's PostgreSQL 15, each
#                                          cycle kills the primary and promotes the standby; with
#                                          synchronous, then asynchronous replication (as root)
#   harness/run.sh cluster --cycles 20     three brokers on one PostgreSQL; each cycle kills the
#                                          member serving a topic under load, then cuts one off
#                                          (its network link down, as root: --faults kill,cut)
# PostgreSQL is embedded (nothing to install). Prints the summary tables; exit status 1 on failure.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
mvn -q -B -f "$root/pom.xml" -pl harness -am package -DskipTests -Dspotless.check.skip=true >&2
exec java -Djava.util.logging.SimpleFormatter.format='[%1$tT] %5$s%6$s%n' -Dlogqueue.root="$root" -Dlogqueue.scratch="$root/harness/target/scratch" \
  -cp "$root/harness/target/classes:$(cat "$root/harness/target/classpath.txt")" \
  dev.logqueue.harness.Harness "$@"
