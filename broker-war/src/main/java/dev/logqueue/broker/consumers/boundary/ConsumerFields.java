package dev.logqueue.broker.consumers.boundary;

import dev.logqueue.broker.http.boundary.JsonRequest;
import dev.logqueue.broker.queue.control.AckRequest;
import dev.logqueue.broker.queue.control.Start;
import dev.logqueue.broker.queue.entity.ConsumerSettings;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.TopicName;

/** The consumer fields of the v2 contract, read from a request (DESIGN.md, "Consumers"). */
final class ConsumerFields {

  private ConsumerFields() {}

  /**
   * {@code name}, {@code ack}, {@code lease_ms}, {@code max_deliveries}, {@code dead_letter_topic}.
   */
  static ConsumerSettings settings(JsonRequest request) {
    String name = request.optionalText("name").orElse(null);
    String ack = request.optionalText("ack").orElse("auto");
    if (!ack.equals("auto") && !ack.equals("explicit")) {
      throw LogQueueException.badRequest("Field 'ack' must be \"auto\" or \"explicit\"");
    }
    boolean explicit = ack.equals("explicit");
    if (!explicit
        && (request.has("lease_ms")
            || request.has("max_deliveries")
            || request.has("dead_letter_topic"))) {
      throw LogQueueException.badRequest(
          "'lease_ms', 'max_deliveries' and 'dead_letter_topic' are for \"ack\": \"explicit\"");
    }
    long lease =
        request
            .whole("lease_ms", ConsumerSettings.MIN_LEASE_MILLIS, ConsumerSettings.MAX_LEASE_MILLIS)
            .orElse(ConsumerSettings.DEFAULT_LEASE_MILLIS);
    int maxDeliveries =
        request.whole("max_deliveries", 1, ConsumerSettings.MAX_DELIVERIES).orElse(0L).intValue();
    TopicName deadLetter =
        request.optionalText("dead_letter_topic").map(TopicName::of).orElse(null);
    return new ConsumerSettings(name, explicit, lease, maxDeliveries, deadLetter);
  }

  /** {@code start}: "earliest" (the default), "latest", or an offset. */
  static Start start(JsonRequest request) {
    String start = request.textOrNumber("start").orElse("earliest");
    return switch (start) {
      case "earliest" -> Start.EARLIEST;
      case "latest" -> Start.LATEST;
      default -> {
        try {
          long offset = Long.parseLong(start);
          if (offset >= 0) {
            yield Start.at(offset);
          }
        } catch (NumberFormatException e) {
          // refused below
        }
        throw LogQueueException.badRequest(
            "Field 'start' must be \"earliest\", \"latest\" or an offset (an integer from 0)");
      }
    };
  }

  /**
   * {@code offsets}, {@code ack_until}, {@code release}, {@code extend}, {@code reject} and {@code
   * delay_ms}: what an ack request (or a consume) settles.
   */
  static AckRequest acks(JsonRequest request) {
    return new AckRequest(
        request.offsets("offsets"),
        request.whole("ack_until", 0, Long.MAX_VALUE),
        request.offsets("release"),
        request.offsets("extend"),
        request.offsets("reject"),
        request.whole("delay_ms", 0, AckRequest.MAX_DELAY_MILLIS).orElse(0L));
  }
}
