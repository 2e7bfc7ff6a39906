#!/bin/sh
# Runs LogQueue's benchmark: builds what it needs, installs wrk if it is missing (Debian), starts the
# broker on H2 and on PostgreSQL (embedded) and prints one table; writes benchmark/results/
# benchmark.md and benchmark.png. First, when RabbitMQ answers on 127.0.0.1:5672, its PerfTest (classic and
# quorum queue) as the peer. About 25 minutes. Options: see Benchmark.java
# (--databases h2,postgresql --warmup 180 --duration 30 --connections 128 --messages 1000000 --smoke).
# benchmark/run.sh cluster [--duration 30 --warmup 30]: a cluster of 1, 2, 3 members (results/cluster.md).
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
mvn -q -B -f "$root/pom.xml" -pl benchmark -am package -DskipTests -Dspotless.check.skip=true >&2
exec java -Djava.util.logging.SimpleFormatter.format='[%1$tT] %5$s%6$s%n' -Djava.awt.headless=true -Dlogqueue.root="$root" -Dlogqueue.scratch="$root/benchmark/target/scratch" \
  -cp "$root/benchmark/target/classes:$(cat "$root/benchmark/target/classpath.txt")" \
  dev.logqueue.benchmark.Benchmark "$@"
