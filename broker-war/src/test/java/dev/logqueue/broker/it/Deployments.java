package dev.logqueue.broker.it;

import dev.logqueue.testkit.Layout;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** What Arquillian deploys: the broker WAR the build made, as it is. */
final class Deployments {

  private Deployments() {}

  static WebArchive broker() {
    return ShrinkWrap.createFromZipFile(WebArchive.class, Layout.war().toFile());
  }

  /** The WAR's context root, where Payara Micro deploys it (the WAR's name). */
  static final String CONTEXT_ROOT = "logqueue/";

  /**
   * The broker's address: what Arquillian injects, with the context root made sure. The Payara
   * Micro connector reads the deployed applications from Payara's console while Payara still writes
   * them; when it reads too early it finds no application and injects the bare host and port.
   */
  static URI base(URL injected) {
    try {
      URI uri = injected.toURI();
      return uri.getPath().endsWith("/" + CONTEXT_ROOT) ? uri : uri.resolve("/" + CONTEXT_ROOT);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
