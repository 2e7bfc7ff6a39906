/**
 * What LogQueue's test suites share: a broker in its own process ({@link
 * dev.logqueue.testkit.Broker}), a real PostgreSQL ({@link dev.logqueue.testkit.Postgres}), a plain
 * HTTP client, and the course data of the original end-to-end test.
 */
package dev.logqueue.testkit;
