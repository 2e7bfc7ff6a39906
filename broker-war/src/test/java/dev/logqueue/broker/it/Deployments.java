package dev.logqueue.broker.it;

import dev.logqueue.testkit.Layout;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** What Arquillian deploys: the broker WAR the build made, as it is. */
final class Deployments {

  private Deployments() {}

  static WebArchive broker() {
    return ShrinkWrap.createFromZipFile(WebArchive.class, Layout.war().toFile());
  }
}
