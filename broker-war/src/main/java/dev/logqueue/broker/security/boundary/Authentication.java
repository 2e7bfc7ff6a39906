package dev.logqueue.broker.security.boundary;

import dev.logqueue.broker.http.boundary.FailureMapper;
import dev.logqueue.broker.queue.entity.Caller;
import dev.logqueue.broker.queue.entity.Caller.Role;
import dev.logqueue.broker.queue.entity.ErrorCode;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.security.control.AuthSettings;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Every request but {@code /status}, {@code /health} and the console's static files is
 * authenticated here. With tokens, the {@code Authorization: Bearer} token is checked by Payara's
 * MicroProfile JWT ({@code request.authenticate}: signature, issuer, expiry) and becomes the
 * request's {@link Caller}; {@code /metrics} and {@code /openapi} need the admin role; what a role
 * may do with which topic is {@link Guard}'s. Without authentication, a request made to an address
 * that is not loopback is refused unless {@code LOGQUEUE_AUTH=none} was said.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class Authentication extends HttpFilter {

  private static final long serialVersionUID = 1L;

  /** The request attribute that holds its {@link Caller}. */
  static final String CALLER = Caller.class.getName();

  @Inject transient AuthSettings settings;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (isOpen(path)) {
      chain.doFilter(request, response);
      return;
    }
    try {
      request.setAttribute(CALLER, caller(request, response, path));
    } catch (LogQueueException refused) {
      refuse(response, refused);
      return;
    }
    chain.doFilter(request, response);
  }

  private Caller caller(HttpServletRequest request, HttpServletResponse response, String path)
      throws IOException {
    switch (settings.mode()) {
      case NONE:
        return Caller.ANYONE;
      case LOOPBACK:
        if (!isLoopback(request.getLocalAddr())) {
          throw LogQueueException.forbidden(
              "This broker has no authentication configured and serves only connections to"
                  + " loopback; configure tokens (README, Security) or set LOGQUEUE_AUTH=none");
        }
        return Caller.ANYONE;
      default:
        Caller caller = authenticate(request, response);
        if ((path.startsWith("/metrics") || path.startsWith("/openapi")) && !caller.isAdmin()) {
          throw LogQueueException.forbidden("This token has no admin role");
        }
        return caller;
    }
  }

  /** The token's caller, checked by the server's MicroProfile JWT; 401 if there is none valid. */
  private static Caller authenticate(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw LogQueueException.unauthorized(
          "This request needs a bearer token: Authorization: Bearer <token>");
    }
    boolean valid;
    try {
      valid = request.authenticate(response);
    } catch (ServletException e) {
      valid = false;
    }
    if (!valid || !(request.getUserPrincipal() instanceof JsonWebToken token)) {
      throw LogQueueException.unauthorized(
          "The bearer token is not valid here: expired, not yet valid, signed by another key, or"
              + " of another issuer");
    }
    return caller(token);
  }

  static Caller caller(JsonWebToken token) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String group : token.getGroups() == null ? Set.<String>of() : token.getGroups()) {
      for (Role role : Role.values()) {
        if (role.name().toLowerCase(Locale.ROOT).equals(group)) {
          roles.add(role);
        }
      }
    }
    return new Caller(
        token.getSubject() != null ? token.getSubject() : token.getName(),
        roles,
        strings(token.getClaim("lq_topics")),
        strings(token.getClaim("lq_consumers")));
  }

  /** A claim of strings, as MicroProfile JWT hands it over (a JSON array, a set, or one string). */
  private static List<String> strings(Object claim) {
    List<String> values = new ArrayList<>();
    if (claim instanceof JsonArray array) {
      for (JsonValue value : array) {
        if (value instanceof JsonString text) {
          values.add(text.getString());
        }
      }
    } else if (claim instanceof Collection<?> collection) {
      collection.forEach(value -> values.add(String.valueOf(value)));
    } else if (claim instanceof JsonString text) {
      values.add(text.getString());
    } else if (claim instanceof String text) {
      values.add(text);
    }
    return values;
  }

  private static boolean isOpen(String path) {
    return path.equals("/status")
        || path.equals("/health")
        || path.startsWith("/health/")
        || path.equals("/console")
        || path.startsWith("/console/");
  }

  private static boolean isLoopback(String address) {
    try {
      return address != null && InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static void refuse(HttpServletResponse response, LogQueueException refused)
      throws IOException {
    if (response.isCommitted()) {
      return; // the server answered already (its own 401)
    }
    response.reset();
    response.setStatus(refused.error() == ErrorCode.UNAUTHORIZED ? 401 : 403);
    if (refused.error() == ErrorCode.UNAUTHORIZED) {
      response.setHeader("WWW-Authenticate", FailureMapper.CHALLENGE);
    }
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getOutputStream().write(FailureMapper.body(refused.error(), refused.getMessage()));
  }
}
