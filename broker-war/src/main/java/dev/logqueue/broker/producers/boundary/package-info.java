/** Producers: each registered for one topic, appending messages to it. */
package dev.logqueue.broker.producers.boundary;
