/** How the broker authenticates, from configuration, checked once at start. */
package dev.logqueue.broker.security.control;
