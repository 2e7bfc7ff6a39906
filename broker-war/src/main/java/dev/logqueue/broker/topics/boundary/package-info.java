/** Topics: append-only logs, named, listed in creation order. */
package dev.logqueue.broker.topics.boundary;
