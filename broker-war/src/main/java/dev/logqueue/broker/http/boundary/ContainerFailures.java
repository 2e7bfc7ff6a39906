package dev.logqueue.broker.http.boundary;

import dev.logqueue.broker.queue.entity.ErrorCode;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON failure body for the errors the container answers before JAX-RS sees the request (a
 * Content-Type it cannot parse, a path it will not decode): WEB-INF/web.xml sends its error pages
 * here. Asked for directly, it is a path like any unknown one.
 */
@WebServlet(ContainerFailures.PATH)
public class ContainerFailures extends HttpServlet {

  static final String PATH = "/__failure";

  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer number ? number : 404;
    ErrorCode error =
        switch (status) {
          case 404 -> ErrorCode.NOT_FOUND;
          case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
          case 413 -> ErrorCode.MESSAGE_TOO_LARGE;
          case 503 -> ErrorCode.UNAVAILABLE;
          default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
        };
    String message =
        switch (error) {
          case NOT_FOUND -> "No such path";
          case METHOD_NOT_ALLOWED -> "Method not allowed";
          case MESSAGE_TOO_LARGE -> "The request is too large";
          case UNAVAILABLE -> "The broker is unavailable; try again";
          case INTERNAL_ERROR -> "The broker failed to handle the request";
          default -> "Bad request: the broker could not read it";
        };
    response.resetBuffer();
    response.setStatus(status >= 400 ? status : 404);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    if (error == ErrorCode.UNAVAILABLE) {
      response.setHeader("Retry-After", FailureMapper.RETRY_AFTER_SECONDS);
    }
    StringBuilder body = new StringBuilder("{\"status\":\"failure\",\"message\":");
    JsonText.quote(body, message);
    body.append(",\"error\":");
    JsonText.quote(body, error.code());
    body.append('}');
    response.getOutputStream().write(body.toString().getBytes(StandardCharsets.UTF_8));
  }
}
