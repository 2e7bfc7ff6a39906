package dev.logqueue.broker.security.boundary;

import dev.logqueue.broker.queue.entity.Caller;
import dev.logqueue.broker.queue.entity.Caller.Role;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.TopicName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * What each role may do, asked by the resources once they have read the request's topic: admin
 * anything; producer register and produce; consumer register, consume, ack, seek, size, read
 * messages and delete its own consumers; both only on the topics their token names. A refusal never
 * tells whether a topic the token may not touch exists: the topic is checked against the token
 * before anything looks it up.
 */
@ApplicationScoped
public class Guard {

  @Inject HttpServletRequest request;

  /** The request's caller, as {@link Authentication} found it. */
  public Caller caller() {
    Object caller = request.getAttribute(Authentication.CALLER);
    if (caller instanceof Caller known) {
      return known;
    }
    throw LogQueueException.unauthorized("This request needs a bearer token");
  }

  /** Creating, configuring and deleting topics, and all of the broker's operations. */
  public Caller admin() {
    Caller caller = caller();
    if (!caller.isAdmin()) {
      throw LogQueueException.forbidden("This needs a token with the admin role");
    }
    return caller;
  }

  public Caller producer(TopicName topic) {
    return role(Role.PRODUCER, topic);
  }

  public Caller consumer(TopicName topic) {
    return role(Role.CONSUMER, topic);
  }

  /** A topic's details: producers and consumers of the topic. */
  public Caller reader(TopicName topic) {
    Caller caller = caller();
    if (!caller.has(Role.PRODUCER) && !caller.has(Role.CONSUMER)) {
      throw LogQueueException.forbidden("This token has no role that uses topics");
    }
    return topic(caller, topic);
  }

  /** Of the topics, those the caller may see. */
  public List<TopicName> visible(List<TopicName> topics) {
    Caller caller = caller();
    return caller.isAdmin() ? topics : topics.stream().filter(caller::mayTouch).toList();
  }

  private Caller role(Role role, TopicName topic) {
    Caller caller = caller();
    if (!caller.has(role)) {
      throw LogQueueException.forbidden(
          "This needs a token with the " + role.name().toLowerCase() + " role");
    }
    return topic(caller, topic);
  }

  /** Also for a second topic of the same request (a dead-letter topic). */
  public Caller topic(Caller caller, TopicName topic) {
    if (!caller.mayTouch(topic)) {
      throw LogQueueException.forbidden("This token may not use the topic it asked for");
    }
    return caller;
  }
}
