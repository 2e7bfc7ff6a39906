package dev.logqueue.sdk;

/**
 * The broker asks for a bearer token and this client sent none, or one it does not accept: expired,
 * signed by another key, of another issuer (`unauthorized`, HTTP 401). See the builders' {@code
 * token}, or {@code logqueue.token} in MicroProfile Config.
 */
public class NotAuthorizedException extends LogQueueException {

  private static final long serialVersionUID = 1L;

  public NotAuthorizedException(int status, String error, String message) {
    super(status, error, message);
  }
}
