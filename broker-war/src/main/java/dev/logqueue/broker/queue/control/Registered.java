package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ConsumerSettings;

/**
 * A consumer registered: its id, whether it was there before (a durable name registered again), its
 * settings, and its committed position when the answer was made.
 */
public record Registered(ConsumerId id, boolean existing, ConsumerSettings settings, long offset) {}
