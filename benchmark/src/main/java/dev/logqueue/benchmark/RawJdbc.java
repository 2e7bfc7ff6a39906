package dev.logqueue.benchmark;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The database's own ceiling: rows shaped like the broker's messages (topic, offset, producer, 100
 * bytes), inserted with plain JDBC in batches of 100 per commit, by one thread and by several.
 */
final class RawJdbc {

  static final int BATCH = 100;

  record Result(double oneThread, double manyThreads) {
    double best() {
      return Math.max(oneThread, manyThreads);
    }
  }

  private final String url;
  private final String user;
  private final String password;

  RawJdbc(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  Result measure(Duration each, int threads) throws Exception {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS bench_raw");
      statement.execute(
          "CREATE TABLE bench_raw (topic_id BIGINT NOT NULL, log_offset BIGINT NOT NULL,"
              + " producer_id BIGINT NOT NULL, payload BYTEA NOT NULL,"
              + " PRIMARY KEY (topic_id, log_offset))");
    }
    insert(1, Duration.ofSeconds(Math.min(10, each.toSeconds())), 100); // warm the JIT
    double one = insert(1, each, 1);
    double many = insert(threads, each, 1_000);
    return new Result(one, many);
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  /** Rows per second over the duration, with {@code threads} writers on their own topics. */
  private double insert(int threads, Duration duration, long firstTopic) throws Exception {
    byte[] payload = "x".repeat(100).getBytes(StandardCharsets.UTF_8);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<Long>> writers = new ArrayList<>();
      long deadline = System.nanoTime() + duration.toNanos();
      for (int t = 0; t < threads; t++) {
        long topic = firstTopic + t;
        writers.add(
            () -> {
              long rows = 0;
              try (Connection connection = connect();
                  PreparedStatement insert =
                      connection.prepareStatement(
                          "INSERT INTO bench_raw (topic_id, log_offset, producer_id, payload)"
                              + " VALUES (?, ?, ?, ?)")) {
                connection.setAutoCommit(false);
                while (System.nanoTime() < deadline) {
                  for (int i = 0; i < BATCH; i++) {
                    insert.setLong(1, topic);
                    insert.setLong(2, rows++);
                    insert.setLong(3, 1);
                    insert.setBytes(4, payload);
                    insert.addBatch();
                  }
                  insert.executeBatch();
                  connection.commit();
                }
              }
              return rows;
            });
      }
      long started = System.nanoTime();
      long total = 0;
      for (Future<Long> writer : pool.invokeAll(writers)) {
        total += writer.get();
      }
      return total / ((System.nanoTime() - started) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }
}
