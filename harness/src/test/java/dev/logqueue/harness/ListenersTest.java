package dev.logqueue.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ListenersTest {

  @Test
  void readsTheKernelsAddresses() {
    assertEquals("127.0.0.1", Listeners.address("0100007F"));
    assertEquals("0.0.0.0", Listeners.address("00000000"));
    assertEquals("127.0.0.1", Listeners.address("0000000000000000FFFF00000100007F"));
    assertEquals("::", Listeners.address("00000000000000000000000000000000"));
  }

  @Test
  void findsTheSocketsThisProcessListensOn() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      var mine = Listeners.of(ProcessHandle.current().pid());
      assertTrue(
          mine.contains(new Listeners.Listener("127.0.0.1", socket.getLocalPort())),
          mine.toString());
    }
  }
}
