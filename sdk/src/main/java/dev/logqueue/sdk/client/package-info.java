/**
 * The v1 wire contract as a MicroProfile typed REST client: the interface, its bodies, its errors.
 */
package dev.logqueue.sdk.client;
