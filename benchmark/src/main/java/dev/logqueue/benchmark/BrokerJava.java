package dev.logqueue.benchmark;

/** How the benchmark runs the broker's JVM: as payara-config/run.sh does by default. */
final class BrokerJava {

  static final String OPTIONS = "-Xmx512m";

  private BrokerJava() {}
}
