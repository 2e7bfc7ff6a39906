/** The web console: static pages in the WAR that call the public API, and nothing else. */
package dev.logqueue.broker.console.boundary;
