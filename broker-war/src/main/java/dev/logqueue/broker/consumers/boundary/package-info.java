/** Consumers: each reads every message of its topic, in order, from its own offset. */
package dev.logqueue.broker.consumers.boundary;
