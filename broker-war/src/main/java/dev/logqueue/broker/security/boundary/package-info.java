/**
 * Who may do what: bearer tokens checked by Payara's MicroProfile JWT, then each request's role and
 * topics; with authentication off, connections to loopback only.
 */
package dev.logqueue.broker.security.boundary;
