/** Health: GET /status, MicroProfile liveness and readiness, the startup banner. */
package dev.logqueue.broker.health.boundary;
