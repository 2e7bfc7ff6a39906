/**
 * The queue's rules and its fast path: the in-memory state (topics, their windows of recent
 * messages, consumers' offsets), the one committer that writes every change in group commits, and
 * the port to the log of record.
 */
package dev.logqueue.broker.queue.control;
