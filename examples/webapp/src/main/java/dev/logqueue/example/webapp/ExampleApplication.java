package dev.logqueue.example.webapp;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** A web application that records events to LogQueue and reads them back, through the SDK. */
@ApplicationPath("/")
public class ExampleApplication extends Application {}
