/**
 * The LogQueue Java SDK: {@link dev.logqueue.sdk.Producer} and {@link dev.logqueue.sdk.Consumer}
 * over the broker's typed REST client ({@link dev.logqueue.sdk.client.LogQueueApi}), with typed
 * exceptions for what the broker refuses.
 */
package dev.logqueue.sdk;
