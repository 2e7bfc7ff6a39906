package dev.logqueue.broker.store.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.broker.queue.control.Claims.Claim;
import dev.logqueue.broker.queue.control.LogStore.Fenced;
import dev.logqueue.broker.queue.control.Placement.IdKind;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.testkit.Postgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The cluster's rows on a real PostgreSQL: claims raise epochs, a commit checks its fence under a
 * row lock that a claim waits for, ids are unique among concurrent members and above every id a
 * single broker issued before.
 */
class ClusterRowsTest {

  PGSimpleDataSource database;

  @BeforeEach
  void schema() throws SQLException {
    Postgres server = Postgres.shared();
    database = new PGSimpleDataSource();
    database.setUrl(server.jdbcUrl(server.createDatabase()));
    database.setUser(Postgres.USER);
    database.setPassword(Postgres.PASSWORD);
    Schema.apply(database);
  }

  Map<Integer, Long> claim(Set<Integer> slots, String holder) throws SQLException {
    try (Connection connection = database.getConnection()) {
      return ClusterRows.claim(connection, slots, holder, System.currentTimeMillis());
    }
  }

  @Test
  void aClaimRaisesTheEpochAndNamesTheHolder() throws SQLException {
    assertEquals(Map.of(1, 1L, 2, 1L), claim(Set.of(1, 2), "a"));
    assertEquals(Map.of(2, 2L), claim(Set.of(2), "b"));
    try (Connection connection = database.getConnection()) {
      assertEquals(
          List.of(1, 2),
          ClusterRows.slots(connection).stream().map(ClusterTables.Slot::slot).toList());
      assertEquals("b", ClusterRows.slots(connection).get(1).holder());
    }
  }

  @Test
  void aCommitWithAnEpochThatMovedIsFenced() throws SQLException {
    claim(Set.of(3), "a");
    claim(Set.of(3), "b");
    try (Connection connection = database.getConnection()) {
      connection.setAutoCommit(false);
      Map<TopicId, Claim> stale = Map.of(new TopicId(1), new Claim(3, 1));
      assertThrows(Fenced.class, () -> ClusterRows.checkFence(connection, stale));
      connection.rollback();
      ClusterRows.checkFence(connection, Map.of(new TopicId(1), new Claim(3, 2)));
      connection.rollback();
      Map<TopicId, Claim> neverClaimed = Map.of(new TopicId(2), new Claim(4, 1));
      assertThrows(Fenced.class, () -> ClusterRows.checkFence(connection, neverClaimed));
      connection.rollback();
    }
  }

  @Test
  void aClaimWaitsForTheCommitThatCheckedItsFence() throws Exception {
    claim(Set.of(7), "a");
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (Connection commit = database.getConnection()) {
      commit.setAutoCommit(false);
      ClusterRows.checkFence(commit, Map.of(new TopicId(1), new Claim(7, 1)));
      Future<Map<Integer, Long>> takeover = other.submit(() -> claim(Set.of(7), "b"));
      assertThrows(TimeoutException.class, () -> takeover.get(500, TimeUnit.MILLISECONDS));
      assertFalse(takeover.isDone(), "the claim waits while the commit holds the slot's row");
      commit.commit();
      assertEquals(Map.of(7, 2L), takeover.get(10, TimeUnit.SECONDS));
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void aMemberSilentInTheMiddleOfACommitDoesNotHoldItsSlotsForever() throws Exception {
    claim(Set.of(8), "a");
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (Connection silent = database.getConnection()) {
      silent.setAutoCommit(false);
      ClusterRows.checkFence(silent, Map.of(new TopicId(1), new Claim(8, 1)));
      // "a" is cut off from here on: it sends nothing more, and its connection stays open
      long started = System.nanoTime();
      Future<Map<Integer, Long>> takeover = other.submit(() -> claim(Set.of(8), "b"));
      assertEquals(Map.of(8, 2L), takeover.get(15, TimeUnit.SECONDS));
      long waited = (System.nanoTime() - started) / 1_000_000;
      assertTrue(waited >= 1_000, "the claim waited for the silent commit first: " + waited);
      assertThrows(SQLException.class, silent::commit, "the silent member's session was ended");
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void idsAreUniqueAmongMembersAndAboveWhatASingleBrokerIssued() throws Exception {
    try (Connection connection = database.getConnection();
        Statement insert = connection.createStatement()) {
      insert.execute("INSERT INTO lq_topic (id, name) VALUES (41, 'before')");
      insert.execute("INSERT INTO lq_id_mark (kind, last_id) VALUES ('producer', 99)");
    }
    try (Connection connection = database.getConnection()) {
      assertEquals(42, ClusterRows.nextId(connection, IdKind.TOPIC));
      assertEquals(100, ClusterRows.nextId(connection, IdKind.PRODUCER));
      assertEquals(1, ClusterRows.nextId(connection, IdKind.CONSUMER));
    }
    Set<Long> ids = new ConcurrentSkipListSet<>();
    ExecutorService members = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> work = new java.util.ArrayList<>();
      for (int m = 0; m < 4; m++) {
        work.add(
            members.submit(
                () -> {
                  try (Connection connection = database.getConnection()) {
                    for (int i = 0; i < 50; i++) {
                      ids.add(ClusterRows.nextId(connection, IdKind.CONSUMER));
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> done : work) {
        done.get(30, TimeUnit.SECONDS);
      }
    } finally {
      members.shutdownNow();
    }
    assertEquals(200, ids.size());
    assertTrue(ids.stream().allMatch(id -> id >= 2 && id <= 201), ids.toString());
  }
}
