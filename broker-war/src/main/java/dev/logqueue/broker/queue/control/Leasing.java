package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.control.Deliveries.Lease;
import dev.logqueue.broker.queue.control.Deliveries.Settled;
import dev.logqueue.broker.queue.control.Taken.Record;
import dev.logqueue.broker.queue.entity.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * An explicit consumer's consume: messages whose lease ended at their last allowed delivery go to
 * the dead-letter topic, then up to {@code max} messages are leased, those whose lease expired or
 * that were released first, then new ones, lowest offset first. Nothing of it is stored, except
 * what it dead-letters.
 */
final class Leasing {

  private Leasing() {}

  /** Dead-letters what is due on this consumer; true if anything was. */
  static boolean deadLetterDue(Batch batch, ConsumerCursor consumer) {
    List<Settled> dead =
        consumer.deliveries().expire(batch.now(), consumer.settings().maxDeliveries());
    for (Settled settled : dead) {
      batch.deadLetter(consumer, settled.offset(), settled.deliveries());
    }
    if (!dead.isEmpty()) {
      batch.settled(consumer);
    }
    return !dead.isEmpty();
  }

  static Taken lease(Batch batch, ConsumerCursor consumer, int max, int maxPending) {
    deadLetterDue(batch, consumer);
    long until = batch.now() + consumer.settings().leaseMillis();
    TopicLog topic = consumer.topic();
    List<Lease> leases = consumer.deliveries().lease(max, until, topic.end(), maxPending);
    List<Record> records = new ArrayList<>(leases.size());
    batch.tally().redelivered(consumer, leases.stream().filter(l -> l.delivery() > 1).count());
    int from = 0;
    while (from < leases.size()) {
      // a run of consecutive offsets is read at once
      int to = from + 1;
      while (to < leases.size() && leases.get(to).offset() == leases.get(to - 1).offset() + 1) {
        to++;
      }
      List<Message> messages = batch.read(topic, leases.get(from).offset(), to - from);
      for (int i = from; i < to; i++) {
        Lease lease = leases.get(i);
        records.add(new Record(lease.offset(), messages.get(i - from), lease.delivery()));
      }
      from = to;
    }
    return new Taken(records, true, until, 0);
  }
}
