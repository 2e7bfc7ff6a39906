package dev.logqueue.harness;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The TCP sockets a process listens on, read from /proc (what {@code ss -ltnp} shows, without
 * needing ss): the process's socket inodes, matched against the listening entries of its network
 * namespace.
 */
final class Listeners {

  /** A listening socket: its address as text ("127.0.0.1", "0.0.0.0", "::") and port. */
  record Listener(String address, int port) {
    @Override
    public String toString() {
      return address + ":" + port;
    }
  }

  private Listeners() {}

  static List<Listener> of(long pid) {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException gone) {
          // closed meanwhile
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read the sockets of process " + pid, e);
    }
    List<Listener> listening = new ArrayList<>();
    for (String table : List.of("tcp", "tcp6")) {
      try {
        List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/net/" + table));
        for (String line : lines.subList(1, lines.size())) {
          String[] fields = line.trim().split("\\s+");
          if (fields[3].equals("0A") && inodes.contains(fields[9])) { // 0A: LISTEN
            String[] local = fields[1].split(":");
            listening.add(new Listener(address(local[0]), Integer.parseInt(local[1], 16)));
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException("Cannot read /proc/" + pid + "/net/" + table, e);
      }
    }
    return listening;
  }

  /** The kernel's hex of an address (little-endian words) as text. */
  static String address(String hex) {
    if (hex.length() == 8) {
      return Integer.parseInt(hex.substring(6, 8), 16)
          + "."
          + Integer.parseInt(hex.substring(4, 6), 16)
          + "."
          + Integer.parseInt(hex.substring(2, 4), 16)
          + "."
          + Integer.parseInt(hex.substring(0, 2), 16);
    }
    if (hex.equals("00000000000000000000000000000000")) {
      return "::";
    }
    if (hex.startsWith("0000000000000000FFFF0000")) { // IPv4 mapped into IPv6
      return address(hex.substring(24));
    }
    if (hex.equals("00000000000000000000000001000000")) {
      return "::1";
    }
    return hex;
  }
}
