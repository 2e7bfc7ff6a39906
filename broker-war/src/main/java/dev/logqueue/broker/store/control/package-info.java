/** The log of record on JPA (EclipseLink): one transaction per group commit, paged reads. */
package dev.logqueue.broker.store.control;
