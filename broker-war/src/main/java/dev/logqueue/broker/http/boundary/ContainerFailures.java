package dev.logqueue.broker.http.boundary;

import dev.logqueue.broker.queue.entity.ErrorCode;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

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
    int status = code instanceof Integer number && number >= 400 ? number : 404;
    ErrorCode error = FailureMapper.errorFor(status);
    response.resetBuffer();
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    if (error == ErrorCode.UNAVAILABLE) {
      response.setHeader("Retry-After", FailureMapper.RETRY_AFTER_SECONDS);
    }
    if (error == ErrorCode.UNAUTHORIZED) {
      response.setHeader("WWW-Authenticate", FailureMapper.CHALLENGE);
    }
    response.getOutputStream().write(JsonText.failure(error, FailureMapper.generic(error)));
  }
}
