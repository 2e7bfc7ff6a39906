/**
 * Metrics on /metrics (MicroProfile Metrics, Prometheus' text format): the broker's, each topic's
 * and each consumer's, and the HTTP requests'.
 */
package dev.logqueue.broker.metrics.boundary;
