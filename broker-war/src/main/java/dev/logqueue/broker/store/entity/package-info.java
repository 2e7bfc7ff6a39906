/** The tables of the log of record, as JPA entities. The schema itself is in META-INF/sql. */
package dev.logqueue.broker.store.entity;
