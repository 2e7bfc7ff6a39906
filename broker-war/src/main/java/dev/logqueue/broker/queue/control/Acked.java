package dev.logqueue.broker.queue.control;

/** What an ack request settled: messages newly acknowledged, released, extended, rejected. */
public record Acked(long acked, int released, int extended, int rejected) {}
