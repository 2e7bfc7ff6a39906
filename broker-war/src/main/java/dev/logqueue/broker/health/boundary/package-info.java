/** Health: GET /status, and MicroProfile liveness and readiness. */
package dev.logqueue.broker.health.boundary;
