package dev.logqueue.broker.queue.entity;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Who sends a request, as its bearer token says: the subject ({@code sub}), its roles ({@code
 * groups}: admin, producer, consumer), the topics it may touch ({@code lq_topics}) and the durable
 * consumers of other subjects it may share ({@code lq_consumers}), each a list of patterns where
 * {@code *} stands for any characters. {@link #ANYONE} is every request while authentication is
 * off.
 */
public record Caller(
    String subject, Set<Role> roles, List<String> topics, List<String> sharedConsumers) {

  /** What a token's {@code groups} may grant. */
  public enum Role {
    ADMIN,
    PRODUCER,
    CONSUMER
  }

  /** Authentication off: anyone may do anything, and nothing registered has an owner. */
  public static final Caller ANYONE =
      new Caller(null, Set.of(Role.values()), List.of("*"), List.of("*"));

  public Caller {
    roles = Set.copyOf(roles);
    topics = List.copyOf(topics);
    sharedConsumers = List.copyOf(sharedConsumers);
  }

  public boolean isAdmin() {
    return roles.contains(Role.ADMIN);
  }

  /** The owner a producer or consumer registered by this caller gets: null while auth is off. */
  public String owner() {
    return this == ANYONE ? null : subject;
  }

  /** An admin may do what any role may. */
  public boolean has(Role role) {
    return isAdmin() || roles.contains(role);
  }

  /** Whether the token names this topic (admins: every topic). */
  public boolean mayTouch(TopicName topic) {
    return isAdmin() || matchesAny(topics, topic.value());
  }

  /**
   * Refuses, unless the caller may use a producer or consumer registered by {@code owner}: its own,
   * any without an owner (registered while auth was off), any for an admin, and a durable consumer
   * of another subject whose name the token shares ({@code lq_consumers}).
   */
  public void mayUse(String owner, String consumerName, String what) {
    if (owner == null || isAdmin() || Objects.equals(owner, subject)) {
      return;
    }
    if (consumerName != null && matchesAny(sharedConsumers, consumerName)) {
      return;
    }
    throw LogQueueException.forbidden(what + " belongs to another subject");
  }

  private static boolean matchesAny(List<String> patterns, String value) {
    for (String pattern : patterns) {
      if (glob(pattern).matcher(value).matches()) {
        return true;
      }
    }
    return false;
  }

  /** Patterns compiled once: a token's few patterns are matched on every request. */
  private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();

  private static Pattern glob(String pattern) {
    if (COMPILED.size() > 10_000) {
      COMPILED.clear(); // tokens are signed by the operator: this bounds a flood of odd ones
    }
    return COMPILED.computeIfAbsent(pattern, Caller::compile);
  }

  private static Pattern compile(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (String literal : pattern.split("\\*", -1)) {
      if (!regex.isEmpty()) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(literal));
    }
    return Pattern.compile(regex.toString());
  }
}
