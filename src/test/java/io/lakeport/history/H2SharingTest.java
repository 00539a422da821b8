package io.lakeport.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeport.config.HistorySettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embedded H2 history is served to the other processes of this machine on 127.0.0.1 only; other
 * URLs are used as written. The two-process case is {@code SharedHistorySparkTest}.
 */
class H2SharingTest {
  @TempDir Path dir;

  @Test
  void anH2FileIsOpenedInMixedModeAndOtherUrlsAsWritten() {
    assertThat(H2Sharing.url("jdbc:h2:file:/srv/lakeport/data/history/lakeport"))
        .isEqualTo("jdbc:h2:file:/srv/lakeport/data/history/lakeport;AUTO_SERVER=TRUE");
    assertThat(H2Sharing.url("jdbc:h2:./data/history/lakeport"))
        .isEqualTo("jdbc:h2:./data/history/lakeport;AUTO_SERVER=TRUE");
    for (String url :
        List.of(
            "jdbc:h2:mem:history",
            "jdbc:h2:tcp://127.0.0.1:9092/history",
            "jdbc:h2:file:/srv/history;AUTO_SERVER=FALSE",
            "jdbc:h2:file:/srv/history;FILE_LOCK=NO",
            "jdbc:h2:file:/srv/history;auto_server=true;AUTO_SERVER_PORT=9090")) {
      assertThat(H2Sharing.url(url)).isEqualTo(url);
    }
    assertThat(System.getProperty(H2Sharing.BIND_ADDRESS_PROPERTY)).isEqualTo(H2Sharing.LOOPBACK);
  }

  @Test
  void theServerListensOnLoopbackOnlyBehindTheFolderOfItsUser() throws Exception {
    Path file = dir.resolve("data/history/lakeport");
    HistorySettings settings =
        new HistorySettings(
            "jdbc:h2:file:" + file,
            HistorySettings.Database.H2,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            HistoryStoreContract.TTL,
            Optional.empty());

    try (HistoryStore store = HistoryStore.open(settings, Clock.systemUTC())) {
      store.schedules().enable("orders");
      Properties lock = new Properties();
      try (InputStream in = Files.newInputStream(dir.resolve("data/history/lakeport.lock.db"))) {
        lock.load(in);
      }
      String server = lock.getProperty("server");
      assertThat(server).startsWith("localhost:");
      int port = Integer.parseInt(server.substring("localhost:".length()));

      try (Socket loopback = new Socket()) {
        loopback.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
        assertThat(loopback.isConnected()).isTrue();
      }
      for (InetAddress address : otherAddresses()) {
        assertThatThrownBy(
                () -> {
                  try (Socket other = new Socket()) {
                    other.connect(new InetSocketAddress(address, port), 5_000);
                  }
                })
            .as("the server answers on %s", address)
            .isInstanceOf(IOException.class);
      }
    }
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("data/history"))))
        .isEqualTo("rwx------");
  }

  /** This machine's IPv4 addresses other than loopback (none on a machine without a network). */
  private static List<InetAddress> otherAddresses() throws IOException {
    return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .flatMap(NetworkInterface::inetAddresses)
        .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
        .toList();
  }
}
