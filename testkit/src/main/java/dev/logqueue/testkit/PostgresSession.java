package dev.logqueue.testkit;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts the suite's PostgreSQL before any test when {@code -Dlogqueue.it.postgres.port} is set:
 * brokers that the build starts (Arquillian's) must find it running on that port.
 */
public class PostgresSession implements LauncherSessionListener {

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    if (System.getProperty("logqueue.it.postgres.port") != null) {
      Postgres.shared().createDatabase("logqueue");
    }
  }
}
