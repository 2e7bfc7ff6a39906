/**
 * A cluster's HTTP side: requests forwarded to the member that serves their topic, and /cluster.
 */
package dev.logqueue.broker.cluster.boundary;
