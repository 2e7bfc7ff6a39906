package dev.logqueue.broker.http.boundary;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** Success answers, always JSON whatever the request accepts. */
public final class Replies {

  /**
   * The JSON-P provider, looked up once: {@code Json.create...} looks it up again on every call, a
   * class-path scan per request.
   */
  public static final JsonProvider JSON = JsonProvider.provider();

  private static final JsonObject SUCCESS = success().build();

  private Replies() {}

  /** {@code {"status":"success"}} */
  public static Response ok() {
    return ok(SUCCESS);
  }

  /** A success body to add fields to. */
  public static JsonObjectBuilder success() {
    return JSON.createObjectBuilder().add("status", "success");
  }

  public static Response ok(JsonObjectBuilder body) {
    return ok(body.build());
  }

  private static Response ok(JsonObject body) {
    return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
  }

  /**
   * Answers a suspended request when its change is committed: with {@code onSuccess} of the
   * outcome, or with the failure (which the failure mapper turns into the JSON failure body).
   */
  public static <T> void answer(
      AsyncResponse async, CompletionStage<T> outcome, Function<T, Response> onSuccess) {
    outcome.whenComplete(
        (value, failure) -> {
          if (failure != null) {
            async.resume(failure instanceof CompletionException ? failure.getCause() : failure);
          } else {
            async.resume(onSuccess.apply(value));
          }
        });
  }
}
