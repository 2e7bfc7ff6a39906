package dev.logqueue.broker.queue.entity;

import java.util.Locale;

/** The stable error codes of the wire contract; programs branch on {@link #code()}. */
public enum ErrorCode {
  BAD_REQUEST,
  TOPIC_EXISTS,
  TOPIC_NOT_FOUND,
  PRODUCER_NOT_FOUND,
  CONSUMER_NOT_FOUND,
  PRODUCER_TOPIC_MISMATCH,
  CONSUMER_TOPIC_MISMATCH,
  QUEUE_EMPTY,
  CONSUMER_EXISTS,
  NOT_DELIVERED,
  LEASE_EXPIRED,
  NOT_EXPLICIT,
  MESSAGE_TOO_LARGE,
  UNAUTHORIZED,
  FORBIDDEN,
  NOT_FOUND,
  METHOD_NOT_ALLOWED,
  NOT_ACCEPTABLE,
  UNAVAILABLE,
  INTERNAL_ERROR;

  /** The snake_case code sent as {@code "error"}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
