package dev.logqueue.broker.security.boundary;

import dev.logqueue.broker.security.control.AuthSettings;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/**
 * Reads the authentication settings as the broker starts: settings that cannot work (tokens asked
 * for without a key) stop the deployment with the reason, and the mode is said in the log.
 */
@WebListener
public class AuthAtStart implements ServletContextListener {

  @Inject AuthSettings settings;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    settings.announce();
  }
}
