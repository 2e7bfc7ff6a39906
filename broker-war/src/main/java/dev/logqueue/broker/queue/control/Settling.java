package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.control.Deliveries.Settled;
import dev.logqueue.broker.queue.entity.LogQueueException;

/**
 * An explicit consumer's ack request, all of it or nothing: every offset is checked before any is
 * settled, then acks, {@code ack_until}, extends, releases and rejects are applied in that order.
 */
final class Settling {

  private Settling() {}

  static Acked apply(Batch batch, ConsumerCursor consumer, AckRequest request) {
    if (!consumer.isExplicit()) {
      throw LogQueueException.notExplicit(consumer.id());
    }
    Deliveries deliveries = consumer.deliveries();
    long now = batch.now();
    long end = consumer.topic().end();
    try {
      request.ack().forEach(offset -> deliveries.checkAck(offset, end));
      request.ackUntil().ifPresent(until -> deliveries.checkAckUntil(until, end));
      request.release().forEach(offset -> deliveries.checkLeased(offset, now, end));
      request.extend().forEach(offset -> deliveries.checkLeased(offset, now, end));
      request.reject().forEach(offset -> deliveries.checkLeased(offset, now, end));
    } catch (LogQueueException e) {
      // in a cluster, what this member knows of the topic may be stale (another member may have
      // served it, and leased these offsets, since): the commit checks the topic's fence first
      batch.doubt(consumer.topic());
      throw e;
    }

    long before = deliveries.size(end);
    request.ack().forEach(deliveries::ack);
    request.ackUntil().ifPresent(deliveries::ackUntil);
    long acked = before - deliveries.size(end);
    batch.tally().acked(consumer, acked);
    long until = now + consumer.settings().leaseMillis();
    request.extend().forEach(offset -> deliveries.extend(offset, until));
    request.release().forEach(offset -> deliveries.release(offset, now + request.delayMillis()));
    for (long offset : request.reject()) {
      Settled rejected = deliveries.reject(offset);
      if (consumer.settings().hasDeadLetterTopic()) {
        batch.deadLetter(consumer, offset, rejected.deliveries());
      }
    }
    if (acked > 0 || !request.reject().isEmpty() || request.ackUntil().isPresent()) {
      batch.settled(consumer);
    }
    if (!request.release().isEmpty()) {
      batch.released(consumer.topic());
    }
    return new Acked(
        acked, request.release().size(), request.extend().size(), request.reject().size());
  }
}
