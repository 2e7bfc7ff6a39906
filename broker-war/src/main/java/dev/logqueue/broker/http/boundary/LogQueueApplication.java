package dev.logqueue.broker.http.boundary;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The v1 HTTP API, at the root of the context. */
@ApplicationPath("/")
public class LogQueueApplication extends Application {}
