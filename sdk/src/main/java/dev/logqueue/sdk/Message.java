package dev.logqueue.sdk;

/** A message a consumer was given, and the topic it came from. */
public record Message(String topic, String text) {}
