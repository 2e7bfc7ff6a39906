/**
 * A cluster of brokers: membership and placement from Payara's data grid (Hazelcast), claims and
 * their epochs in the store.
 */
package dev.logqueue.broker.cluster.control;
