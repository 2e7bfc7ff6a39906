package dev.logqueue.harness;

import dev.logqueue.testkit.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The network between a standby and its primary, as a TCP relay on loopback that the drill can slow
 * and cut: {@link #hold} stops passing what the primary sends (the standby falls behind, as over a
 * congested link), {@link #cut} drops the connections and what they held.
 */
final class ReplicationLink implements AutoCloseable {

  private final ServerSocket listener;
  private final int target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean held;

  ReplicationLink(int target) {
    this.target = target;
    try {
      listener = new ServerSocket(Ports.free(), 16, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(this::accept, "replication-link-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** From now on, nothing of the primary's reaches the standby (it stays in the link). */
  void hold() {
    held = true;
  }

  /** Drops every connection, with what the link held: the standby never gets it. */
  void cut() {
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing
      }
    }
    sockets.clear();
    held = false;
  }

  @Override
  public void close() {
    cut();
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket standby = listener.accept();
        Socket primary = new Socket(InetAddress.getLoopbackAddress(), target);
        standby.setTcpNoDelay(true); // no Nagle between them: a synchronous commit waits on this
        primary.setTcpNoDelay(true);
        sockets.add(standby);
        sockets.add(primary);
        pump(standby, primary, false);
        pump(primary, standby, true);
      } catch (IOException e) {
        // closed, or the primary is gone: the standby connects again
      }
    }
  }

  private void pump(Socket from, Socket to, boolean fromPrimary) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                while (true) {
                  while (fromPrimary && held && !from.isClosed()) {
                    Thread.sleep(5);
                  }
                  int read = in.read(buffer);
                  if (read < 0) {
                    break;
                  }
                  out.write(buffer, 0, read);
                  out.flush();
                }
              } catch (IOException | InterruptedException closed) {
                // cut, or one side closed
              } finally {
                try {
                  from.close();
                  to.close();
                } catch (IOException ignored) {
                  // closing
                }
              }
            },
            "replication-pump");
    thread.setDaemon(true);
    thread.start();
  }
}
