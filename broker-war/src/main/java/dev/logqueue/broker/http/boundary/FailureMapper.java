package dev.logqueue.broker.http.boundary;

import dev.logqueue.broker.queue.entity.ErrorCode;
import dev.logqueue.broker.queue.entity.LogQueueException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The one place where failures become HTTP: the contract's JSON failure body with {@code status},
 * {@code message} and {@code error}, and its HTTP code. Nothing internal (no stack trace, no class
 * name) reaches the client; what is unexpected is logged here.
 */
@Provider
public class FailureMapper implements ExceptionMapper<Throwable> {

  private static final Logger LOG = System.getLogger(FailureMapper.class.getName());

  /** What a 401 asks for (RFC 6750). */
  public static final String CHALLENGE = "Bearer realm=\"logqueue\"";

  /** Seconds a client should wait before it retries a 503. */
  static final String RETRY_AFTER_SECONDS = "1";

  @Context UriInfo uri;
  @Context Request request;

  @Override
  public Response toResponse(Throwable thrown) {
    for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
      if (cause instanceof LogQueueException refusal) {
        return failure(refusal.error(), refusal.getMessage()).build();
      }
    }
    if (thrown instanceof WebApplicationException web) {
      return fromJaxRs(web);
    }
    LOG.log(Level.ERROR, "Unexpected failure", thrown);
    return failure(ErrorCode.INTERNAL_ERROR, generic(ErrorCode.INTERNAL_ERROR)).build();
  }

  private Response fromJaxRs(WebApplicationException web) {
    Response original = web.getResponse();
    int status = original.getStatus();
    return switch (status) {
      case 404 ->
          failure(ErrorCode.NOT_FOUND, "No such path: " + request.getMethod() + " " + path())
              .build();
      case 405 ->
          failure(
                  ErrorCode.METHOD_NOT_ALLOWED,
                  request.getMethod() + " is not allowed on " + path())
              .header(HttpHeaders.ALLOW, original.getHeaderString(HttpHeaders.ALLOW))
              .build();
      default -> {
        ErrorCode error = errorFor(status);
        if (error == ErrorCode.INTERNAL_ERROR) {
          LOG.log(Level.ERROR, "Unexpected failure", web);
          yield failure(error, generic(error)).build();
        }
        yield failure(error, generic(error)).status(status).build();
      }
    };
  }

  /**
   * The error code for an HTTP failure status that the broker's own rules did not choose (the
   * container's or JAX-RS's): the codes the contract has for it, else bad_request or
   * internal_error.
   */
  static ErrorCode errorFor(int status) {
    return switch (status) {
      case 401 -> ErrorCode.UNAUTHORIZED;
      case 403 -> ErrorCode.FORBIDDEN;
      case 404 -> ErrorCode.NOT_FOUND;
      case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
      case 406 -> ErrorCode.NOT_ACCEPTABLE;
      case 413 -> ErrorCode.MESSAGE_TOO_LARGE;
      case 503 -> ErrorCode.UNAVAILABLE;
      default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
    };
  }

  /** The message for a failure that has no more particular one. */
  static String generic(ErrorCode error) {
    return switch (error) {
      case NOT_FOUND -> "No such path";
      case METHOD_NOT_ALLOWED -> "Method not allowed";
      case NOT_ACCEPTABLE -> "This path cannot answer in a type the request's Accept header takes";
      case MESSAGE_TOO_LARGE -> "The request is too large";
      case UNAVAILABLE -> "The broker is unavailable; try again";
      case UNAUTHORIZED -> "This request needs a valid bearer token";
      case FORBIDDEN -> "This token may not do that";
      case INTERNAL_ERROR -> "The broker failed to handle the request";
      default -> "Bad request: the broker could not read it";
    };
  }

  private String path() {
    return "/" + uri.getPath(true);
  }

  /** The contract's failure body, for an answer written outside JAX-RS (a servlet filter). */
  public static byte[] body(ErrorCode error, String message) {
    return JsonText.failure(error, message);
  }

  /** The failure body for an error code, with the code's HTTP status. */
  static Response.ResponseBuilder failure(ErrorCode error, String message) {
    Response.ResponseBuilder response =
        Replies.json(Response.status(status(error)), JsonText.failure(error, message));
    if (error == ErrorCode.UNAVAILABLE) {
      response.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
    }
    if (error == ErrorCode.UNAUTHORIZED) {
      response.header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
    }
    return response;
  }

  static int status(ErrorCode error) {
    return switch (error) {
      case BAD_REQUEST -> 400;
      case UNAUTHORIZED -> 401;
      case PRODUCER_TOPIC_MISMATCH, CONSUMER_TOPIC_MISMATCH, FORBIDDEN -> 403;
      case TOPIC_NOT_FOUND, PRODUCER_NOT_FOUND, CONSUMER_NOT_FOUND, QUEUE_EMPTY, NOT_FOUND -> 404;
      case METHOD_NOT_ALLOWED -> 405;
      case NOT_ACCEPTABLE -> 406;
      case TOPIC_EXISTS, CONSUMER_EXISTS, NOT_DELIVERED, LEASE_EXPIRED, NOT_EXPLICIT -> 409;
      case MESSAGE_TOO_LARGE -> 413;
      case UNAVAILABLE -> 503;
      case INTERNAL_ERROR -> 500;
    };
  }
}
