package io.lakeport.history;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The process an attempt runs in: host name and process id. */
public record Worker(String host, long pid) {
  public Worker {
    requireNonNull(host, "host is null");
  }

  /** This JVM. */
  public static Worker current() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown";
    }
    return new Worker(host, ProcessHandle.current().pid());
  }
}
