package dev.logqueue.broker.console.boundary;

import dev.logqueue.broker.queue.entity.ErrorCode;
import dev.logqueue.broker.queue.entity.LogQueueException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GET /console: the console's static files (src/main/webapp/console), served by JAX-RS because the
 * API owns every path of the context. Only plain file names of the folder are served, with a
 * content security policy that lets the page run its own script and call this broker only.
 */
@ApplicationScoped
@Path("console")
public class ConsoleResource {

  static final String FOLDER = "/console/";

  /** A file of the console's folder: no path, no dot files. */
  private static final Pattern FILE = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(html|css|js|svg)");

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=UTF-8",
          "css", "text/css; charset=UTF-8",
          "js", "text/javascript; charset=UTF-8",
          "svg", "image/svg+xml");

  /**
   * The page's own script and style, and requests to this broker only; nothing inline, no frames: a
   * message shown by mistake as HTML could still not run.
   */
  static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  /** The files read so far, with their tags: they change only with the WAR. */
  private final Map<String, Optional<File>> files = new ConcurrentHashMap<>();

  private record File(byte[] bytes, String type, EntityTag tag) {}

  /** The console's page; /console without its slash is sent to /console/ (relative links). */
  @GET
  public Response index(
      @Context UriInfo uri, @Context ServletContext servlet, @Context Request request) {
    if (!uri.getAbsolutePath().getPath().endsWith("/")) {
      return Response.status(Response.Status.MOVED_PERMANENTLY)
          .location(uri.getBaseUriBuilder().path("console/").build())
          .build();
    }
    return file("index.html", servlet, request);
  }

  @GET
  @Path("{file}")
  public Response file(
      @PathParam("file") String name, @Context ServletContext servlet, @Context Request request) {
    Matcher matcher = FILE.matcher(name);
    File file =
        matcher.matches()
            ? files
                .computeIfAbsent(name, found -> read(servlet, found, matcher.group(1)))
                .orElse(null)
            : null;
    if (file == null) {
      throw new LogQueueException(ErrorCode.NOT_FOUND, "No such file of the console: " + name);
    }
    Response.ResponseBuilder unchanged = request.evaluatePreconditions(file.tag());
    Response.ResponseBuilder answer =
        unchanged != null
            ? unchanged
            : Response.ok(file.bytes(), file.type()).header("Content-Length", file.bytes().length);
    return answer
        .tag(file.tag())
        .header("Cache-Control", "no-cache")
        .header("Content-Security-Policy", POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .build();
  }

  private static Optional<File> read(ServletContext servlet, String name, String extension) {
    try (InputStream in = servlet.getResourceAsStream(FOLDER + name)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      String digest =
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
      return Optional.of(new File(bytes, TYPES.get(extension), new EntityTag(digest)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
