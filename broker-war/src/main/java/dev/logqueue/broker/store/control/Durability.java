package dev.logqueue.broker.store.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the database does with a commit, checked before the broker uses it, for the databases that
 * can be set up to lose one: H2 as a stock Payara configures it writes a commit up to 500 ms later
 * (its WRITE_DELAY), so an acknowledged message could be lost to a kill -9; the broker sets it to 0
 * (a persistent setting) or, if the connection may not, refuses to use the database. H2's
 * AUTO_SERVER opens a TCP server to the database; it is reported with how to close it.
 */
final class Durability {

  /** What stops the broker from using the database, and what it should be told. */
  record Findings(List<String> refusals, List<String> warnings) {
    static final Findings NONE = new Findings(List.of(), List.of());
  }

  private static final Pattern SERVER = Pattern.compile("server=([^\\s]+)");

  private Durability() {}

  static Findings check(Connection connection) throws SQLException {
    if (!"H2".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName())) {
      return Findings.NONE;
    }
    List<String> refusals = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    try (Statement statement = connection.createStatement()) {
      int delay = writeDelay(statement);
      if (delay != 0) {
        try {
          statement.execute("SET WRITE_DELAY 0");
          delay = writeDelay(statement);
        } catch (SQLException e) {
          // no admin rights: said below
        }
      }
      if (delay != 0) {
        refusals.add(
            "H2 writes a commit up to "
                + delay
                + " ms after it, so a kill -9 could lose acknowledged messages, and this connection"
                + " may not change it: add WRITE_DELAY=0 to the pool's URL (README, Deploying the"
                + " WAR elsewhere)");
      }
      String server = tcpServer(statement);
      if (server != null) {
        warnings.add(
            "H2 serves this database over TCP at "
                + server
                + " (AUTO_SERVER=TRUE in the pool's URL), reachable from other machines: remove"
                + " AUTO_SERVER from the URL (README, Deploying the WAR elsewhere)");
      }
    }
    return new Findings(List.copyOf(refusals), List.copyOf(warnings));
  }

  private static int writeDelay(Statement statement) throws SQLException {
    try (ResultSet row =
        statement.executeQuery(
            "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                + " WHERE SETTING_NAME = 'WRITE_DELAY'")) {
      return row.next() ? Integer.parseInt(row.getString(1).trim()) : 0;
    }
  }

  /** The address of H2's AUTO_SERVER, which it writes into the database's lock file; else null. */
  private static String tcpServer(Statement statement) throws SQLException {
    String path;
    try (ResultSet row = statement.executeQuery("SELECT DATABASE_PATH()")) {
      path = row.next() ? row.getString(1) : null;
    }
    if (path == null) {
      return null; // in memory
    }
    try {
      Path lock = Path.of(path + ".lock.db");
      if (!Files.isRegularFile(lock)) {
        return null;
      }
      Matcher server = SERVER.matcher(Files.readString(lock));
      return server.find() ? server.group(1).replace("\\:", ":") : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
