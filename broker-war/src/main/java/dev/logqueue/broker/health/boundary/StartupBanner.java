package dev.logqueue.broker.health.boundary;

import dev.logqueue.broker.queue.control.QueueEngine;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The line an operator looks for at start: which broker, on which server, where, and whether it is
 * ready. The web module starts after the queue has restored its state (QueueStartup), so this is
 * the broker's last word of its boot; payara-config/post-deploy.asadmin opens the listener next.
 */
@WebListener
public class StartupBanner implements ServletContextListener {

  private static final Logger LOG = System.getLogger(StartupBanner.class.getName());
  private static final String POM = "/META-INF/maven/dev.logqueue/logqueue-broker/pom.properties";

  @Inject QueueEngine queue;

  /** Set by payara-config/run.sh; unknown on a server started otherwise. */
  @Inject
  @ConfigProperty(name = "logqueue.host")
  Optional<String> host;

  @Inject
  @ConfigProperty(name = "logqueue.port")
  Optional<Integer> port;

  /** run.sh's listeners: HTTP unless LOGQUEUE_HTTP=off, HTTPS on this port with a keystore. */
  @Inject
  @ConfigProperty(name = "logqueue.http")
  Optional<String> http;

  @Inject
  @ConfigProperty(name = "logqueue.tls.keystore")
  Optional<String> keystore;

  @Inject
  @ConfigProperty(name = "logqueue.tls.port")
  Optional<Integer> tlsPort;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    String address = host.orElse("127.0.0.1");
    List<String> urls = new ArrayList<>();
    if (!"off".equals(http.orElse("on"))) {
      port.ifPresent(p -> urls.add("http://" + address + ":" + p + "/"));
    }
    if (keystore.isPresent()) {
      tlsPort.ifPresent(p -> urls.add("https://" + address + ":" + p + "/"));
    }
    String where = urls.isEmpty() ? "" : " on " + String.join(" and ", urls);
    String state =
        queue.isReady() ? "ready" : "not ready: waiting for its database (see /health/ready)";
    LOG.log(
        Level.INFO,
        "LogQueue {0}{1} ({2}, Java {3}): {4}",
        version(context),
        where,
        context.getServerInfo(),
        Runtime.version().feature(),
        state);
  }

  private static String version(ServletContext context) {
    try (InputStream in = context.getResourceAsStream(POM)) {
      Properties pom = new Properties();
      if (in != null) {
        pom.load(in);
      }
      return pom.getProperty("version", "(version unknown)");
    } catch (IOException e) {
      return "(version unknown)";
    }
  }
}
