/** The queue's vocabulary: topic names, ids, error codes. Value types that are valid or absent. */
package dev.logqueue.broker.queue.entity;
