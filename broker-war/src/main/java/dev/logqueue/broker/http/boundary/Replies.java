package dev.logqueue.broker.http.boundary;

import dev.logqueue.broker.queue.control.Acked;
import dev.logqueue.broker.queue.control.Appended;
import dev.logqueue.broker.queue.control.Browsed;
import dev.logqueue.broker.queue.control.Partitions.Gathered;
import dev.logqueue.broker.queue.control.Partitions.Produced;
import dev.logqueue.broker.queue.control.Registered;
import dev.logqueue.broker.queue.control.Taken;
import dev.logqueue.broker.queue.control.TopicDetails;
import dev.logqueue.broker.queue.entity.ConsumerSettings;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.Partition;
import dev.logqueue.broker.queue.entity.ProducerId;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonWriter;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Success answers, always JSON whatever the request accepts. */
public final class Replies {

  /**
   * The JSON-P provider, looked up once: {@code Json.create...} looks it up again on every call, a
   * class-path scan per request.
   */
  public static final JsonProvider JSON = JsonProvider.provider();

  private static final byte[] SUCCESS = new JsonText().toBytes();

  private Replies() {}

  /** {@code {"status":"success"}} */
  public static Response ok() {
    return json(Response.ok(), SUCCESS).build();
  }

  /** {@code {"status":"success","name":N}} */
  public static Response ok(String name, long number) {
    return ok(new JsonText().number(name, number));
  }

  /** {@code {"status":"success","name":"text"}} */
  public static Response ok(String name, String text) {
    return ok(new JsonText().string(name, text));
  }

  /** {@code {"status":"success","offsets":[N, ...]}}: a seek's offsets, by partition. */
  public static Response offsets(List<Long> offsets) {
    return ok(new JsonText().numbers("offsets", offsets));
  }

  /** {@code {"status":"success","name":["text", ...]}} */
  public static Response ok(String name, List<String> texts) {
    return ok(new JsonText().strings(name, texts));
  }

  /**
   * A produce's answer: single {@code {"status":"success","offset":N}} (with {@code
   * "duplicate":true} if it was stored before); batch {@code
   * {"status":"success","appended":K,"offsets":[...],"duplicates":D}}, K the messages newly stored.
   */
  public static Response appended(Appended appended, boolean batch) {
    return ok(appendedBody(appended, batch));
  }

  /** As {@link #appended(Appended, boolean)}, with the {@code partition} it went to first. */
  public static Response appended(Produced produced, boolean batch) {
    return ok(
        appendedBody(
            produced.appended(), batch, new JsonText().number("partition", produced.partition())));
  }

  private static JsonText appendedBody(Appended appended, boolean batch) {
    return appendedBody(appended, batch, new JsonText());
  }

  private static JsonText appendedBody(Appended appended, boolean batch, JsonText body) {
    if (!batch) {
      body.number("offset", appended.first());
      return appended.duplicates() > 0 ? body.bool("duplicate", true) : body;
    }
    return body.number("appended", appended.stored())
        .numbers("offsets", appended.offsets())
        .number("duplicates", appended.duplicates());
  }

  /**
   * An explicit consumer's consume of a topic of several partitions: as {@link #records(Taken)},
   * each record with its {@code partition}; {@code lease_until} the earliest of the leases.
   */
  public static Response records(Gathered gathered) {
    JsonText body = new JsonText().records("records", gathered);
    if (!gathered.isEmpty()) {
      body.number("lease_until", gathered.leaseUntil());
    }
    return ok(gathered.skipped() > 0 ? body.number("skipped", gathered.skipped()) : body);
  }

  /**
   * An auto consumer's batch of a topic of several partitions: as {@link #messages(Taken)}, and
   * {@code partitions}, each message's partition.
   */
  public static Response messages(Gathered gathered) {
    List<String> texts = new ArrayList<>();
    List<Long> partitions = new ArrayList<>();
    for (Gathered.Part part : gathered.parts()) {
      for (String text : part.taken().texts()) {
        texts.add(text);
        partitions.add((long) part.partition());
      }
    }
    JsonText body = new JsonText().strings("messages", texts).numbers("partitions", partitions);
    return ok(gathered.skipped() > 0 ? body.number("skipped", gathered.skipped()) : body);
  }

  /**
   * A producer registered: {@code producer_id}, and {@code partitions} if the topic has several.
   */
  public static Response registered(ProducerId id, int partitions) {
    JsonText body = new JsonText().number("producer_id", id.value());
    return ok(partitions > 1 ? body.number("partitions", partitions) : body);
  }

  /**
   * A consumer registered: {@code consumer_id}, and its settings and position echoed ({@code name}
   * and {@code existing} for a durable one; {@code lease_ms} and the dead-letter settings for an
   * explicit one).
   */
  public static Response registered(Registered registered) {
    return registered(registered, 1);
  }

  /** As {@link #registered(Registered)}, with {@code partitions} if the topic has several. */
  public static Response registered(Registered registered, int partitions) {
    ConsumerSettings settings = registered.settings();
    JsonText body = new JsonText().number("consumer_id", registered.id().value());
    if (settings.name() != null) {
      body.string("name", settings.name()).bool("existing", registered.existing());
    }
    body.string("ack", settings.explicit() ? "explicit" : "auto");
    if (settings.explicit()) {
      body.number("lease_ms", settings.leaseMillis());
      if (settings.hasDeadLetterTopic()) {
        body.number("max_deliveries", settings.maxDeliveries())
            .string("dead_letter_topic", settings.deadLetterTopic().value());
      }
    }
    body.number("offset", registered.offset());
    return ok(partitions > 1 ? body.number("partitions", partitions) : body);
  }

  /**
   * An explicit consumer's consume: {@code {"status":"success","records":[{"offset":N,
   * "message":M,"timestamp":T,"delivery":D}, ...],"lease_until":T}}; a dead-lettered copy's record
   * also has its {@code origin}.
   */
  public static Response records(Taken taken) {
    JsonText body = new JsonText().records("records", taken.records(), true);
    if (!taken.isEmpty()) {
      body.number("lease_until", taken.leaseUntil());
    }
    return ok(taken.skipped() > 0 ? body.number("skipped", taken.skipped()) : body);
  }

  /** {@code {"status":"success","acked":A,"released":R,"extended":E,"rejected":J}} */
  public static Response acked(Acked acked) {
    return ok(
        new JsonText()
            .number("acked", acked.acked())
            .number("released", acked.released())
            .number("extended", acked.extended())
            .number("rejected", acked.rejected()));
  }

  /**
   * {@code {"status":"success","message":M,"log_message":M}}: a v1 consume's answer; with {@code
   * "skipped":S} if retention deleted S messages before this consumer read them.
   */
  public static Response message(String message, long skipped) {
    JsonText body = new JsonText().string("message", message).string("log_message", message);
    return ok(skipped > 0 ? body.number("skipped", skipped) : body);
  }

  /** A batch consume's answer: {@code {"status":"success","messages":[...]}}, and its skipped. */
  public static Response messages(Taken taken) {
    JsonText body = new JsonText().strings("messages", taken.texts());
    return ok(taken.skipped() > 0 ? body.number("skipped", taken.skipped()) : body);
  }

  /**
   * {@code {"status":"success","topic":{"name","start_offset","end_offset","messages","bytes",
   * "oldest_timestamp","retention_ms","retention_bytes","producers","consumers":[{"consumer_id",
   * "name","ack","offset","lag","lag_ms","leased","acked","redelivered","dead_lettered"}, ...]}}},
   * through JSON-P: not a hot path, and nested.
   */
  public static Response topic(TopicDetails topic) {
    return json(JSON.createObjectBuilder().add("status", "success").add("topic", object(topic)));
  }

  /**
   * {@code {"status":"success","topics":[names...]}}, with {@code "details":[topic, ...]} (each as
   * in {@link #topic(TopicDetails)}) if asked for.
   */
  public static Response topics(List<TopicDetails> topics, boolean details) {
    JsonArrayBuilder names = JSON.createArrayBuilder();
    JsonArrayBuilder objects = JSON.createArrayBuilder();
    for (TopicDetails topic : topics) {
      names.add(topic.name().value());
      objects.add(object(topic));
    }
    JsonObjectBuilder body =
        JSON.createObjectBuilder().add("status", "success").add("topics", names);
    return json(details ? body.add("details", objects) : body);
  }

  /**
   * A topic read without a consumer: {@code {"status":"success","start_offset":S,"end_offset":E,
   * "records":[{"offset":N,"message":M,"timestamp":T}, ...]}}; a dead-lettered copy's record also
   * has its {@code origin}.
   */
  public static Response browsed(Browsed browsed) {
    return ok(
        new JsonText()
            .number("start_offset", browsed.start())
            .number("end_offset", browsed.end())
            .records("records", browsed.records(), false));
  }

  private static JsonObjectBuilder object(TopicDetails topic) {
    JsonArrayBuilder consumers = JSON.createArrayBuilder();
    for (TopicDetails.ConsumerDetails consumer : topic.consumers()) {
      JsonObjectBuilder entry =
          JSON.createObjectBuilder().add("consumer_id", consumer.id().value());
      if (consumer.name() == null) {
        entry.addNull("name");
      } else {
        entry.add("name", consumer.name());
      }
      consumers.add(
          entry
              .add("ack", consumer.explicit() ? "explicit" : "auto")
              .add("offset", consumer.offset())
              .add("lag", consumer.lag())
              .add("lag_ms", consumer.lagMillis())
              .add("leased", consumer.leased())
              .add("acked", consumer.acked())
              .add("redelivered", consumer.redelivered())
              .add("dead_lettered", consumer.deadLettered()));
    }
    JsonObjectBuilder object =
        JSON.createObjectBuilder().add("name", Partition.topicOf(topic.name()).value());
    if (Partition.isLog(topic.name())) {
      object.add("partition", Partition.numberOf(topic.name()));
    } else {
      object.add("partitions", topic.partitions());
    }
    object
        .add("start_offset", topic.start())
        .add("end_offset", topic.end())
        .add("messages", topic.messages())
        .add("bytes", topic.bytes());
    if (topic.messages() == 0) {
      object.addNull("oldest_timestamp");
    } else {
      object.add("oldest_timestamp", topic.oldestTimestamp());
    }
    return object
        .add("retention_ms", topic.retention().millis())
        .add("retention_bytes", topic.retention().bytes())
        .add("producers", topic.producers())
        .add("consumers", consumers);
  }

  private static Response json(JsonObjectBuilder body) {
    StringWriter text = new StringWriter(256);
    try (JsonWriter writer = JSON.createWriter(text)) {
      writer.write(body.build());
    }
    return json(Response.ok(), text.toString().getBytes(StandardCharsets.UTF_8)).build();
  }

  private static Response ok(JsonText body) {
    return json(Response.ok(), body.toBytes()).build();
  }

  /**
   * A JSON body with its length: Jersey then writes it as it is, instead of copying it through a
   * buffer of its own allocated for every response (8 KiB, see LogQueueApplication).
   */
  static Response.ResponseBuilder json(Response.ResponseBuilder response, byte[] body) {
    return response
        .type(MediaType.APPLICATION_JSON_TYPE)
        .header(HttpHeaders.CONTENT_LENGTH, body.length)
        .entity(body);
  }

  /**
   * Answers a suspended request when its change is committed: with {@code onSuccess} of the
   * outcome, or with the failure (which the failure mapper turns into the JSON failure body).
   */
  public static <T> void answer(
      AsyncResponse async, CompletableFuture<T> outcome, Function<T, Response> onSuccess) {
    answer(async, outcome, Duration.ZERO, onSuccess);
  }

  /**
   * The same, for a request that may also wait {@code wait} for something to happen. Should its
   * commit not come in time (a stuck database), the request is withdrawn if it still can be, and
   * answered 503 with nothing done; once the committer has it, the answer waits for the commit.
   */
  public static <T> void answer(
      AsyncResponse async,
      CompletableFuture<T> outcome,
      Duration wait,
      Function<T, Response> onSuccess) {
    if (outcome.isDone()) {
      // answered from memory on the request's thread: a refusal is thrown from the resource
      // method, as any other, rather than resumed inside it (which Payara's request tracing does
      // not survive: it closes a context it never opened, and the client gets an empty 500)
      T value;
      try {
        value = outcome.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException cause ? cause : e;
      }
      async.resume(onSuccess.apply(value));
      return;
    }
    if (!wait.isZero()) {
      // a waiting request gets a deadline of its own; the others are bounded by the committer's
      async.setTimeoutHandler(
          late -> {
            if (!outcome.cancel(false)) {
              late.setTimeout(SAFETY.toMillis(), TimeUnit.MILLISECONDS);
            }
          });
      async.setTimeout(wait.plus(SAFETY).toMillis(), TimeUnit.MILLISECONDS);
    }
    outcome.whenComplete(
        (value, failure) -> {
          if (failure instanceof CancellationException) {
            async.resume(
                LogQueueException.unavailable(
                    "The broker could not commit the request in time; nothing was done"));
          } else if (failure != null) {
            async.resume(failure instanceof CompletionException ? failure.getCause() : failure);
          } else {
            Response response;
            try {
              response = onSuccess.apply(value);
            } catch (LogQueueException refusal) {
              async.resume(refusal); // the answer's shape refuses it (v1's queue_empty)
              return;
            }
            async.resume(response);
          }
        });
  }

  /** Beyond the committer's own deadline (20 s by default), before a request is given up. */
  private static final Duration SAFETY = Duration.ofSeconds(30);
}
