package io.lakeport.history;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets several processes on one machine use an embedded H2 history file at once (the scheduler
 * holds it while {@code lakeport schedule disable}, {@code history} or {@code run-now} run beside
 * it), with H2's automatic mixed mode ({@code AUTO_SERVER=TRUE}): the first process opens the file
 * and serves it over TCP; the others read the server's address and a random key from the file's
 * {@code .lock.db} and connect to it, and one of them takes over when the first one exits.
 *
 * <p>The server must not be reachable from other machines. H2 binds it to the address in the system
 * property {@code h2.bindAddress}, read once when its {@code SysProperties} class loads (unset:
 * every interface), and writes that address to the lock file ({@code 127.0.0.1} is written as
 * {@code localhost}). So the property is set to {@code 127.0.0.1} before H2 loads, unless it is set
 * already; when H2 was loaded earlier with no address, or another one that is not a loopback
 * address, the file stays single-process, with a warning.
 */
final class H2Sharing {
  static final String BIND_ADDRESS_PROPERTY = "h2.bindAddress";
  static final String LOOPBACK = "127.0.0.1";
  private static final String AUTO_SERVER = ";AUTO_SERVER=TRUE";
  private static final String H2 = "jdbc:h2:";
  private static final String H2_FILE = "jdbc:h2:file:";

  /** URLs of H2 databases that are not one local file: in memory, on a server, in a zip. */
  private static final Pattern NOT_A_FILE =
      Pattern.compile("jdbc:h2:(mem|tcp|ssl|zip):.*", Pattern.CASE_INSENSITIVE);

  /** Settings the URL may already carry that decide the mode itself. */
  private static final Pattern MODE_SET =
      Pattern.compile(".*;\\s*(AUTO_SERVER|FILE_LOCK)\\s*=.*", Pattern.CASE_INSENSITIVE);

  private static final Logger LOG = LoggerFactory.getLogger(H2Sharing.class);

  static {
    if (System.getProperty(BIND_ADDRESS_PROPERTY) == null) {
      System.setProperty(BIND_ADDRESS_PROPERTY, LOOPBACK);
    }
  }

  private H2Sharing() {}

  /**
   * The URL to connect with: an embedded H2 file gains {@code AUTO_SERVER=TRUE} when H2's server
   * would listen on a loopback address only; any other URL, or one that sets {@code AUTO_SERVER} or
   * {@code FILE_LOCK} itself, is used as written.
   */
  static String url(String url) {
    if (!isSharableFile(url)) {
      return url;
    }
    Optional<String> refusal = loopbackOnly();
    if (refusal.isPresent()) {
      LOG.warn(
          "The run history {} is opened by this process alone (others cannot open it meanwhile): {}",
          url,
          refusal.get());
      return url;
    }
    return url + AUTO_SERVER;
  }

  /**
   * Creates the folder of an H2 file that does not exist yet readable by this user only, so other
   * users of the machine can read neither the history nor the server's key in its lock file. An
   * existing folder is left as it is.
   */
  static void createFolder(String url) {
    if (!url.toLowerCase(Locale.ROOT).startsWith(H2) || NOT_A_FILE.matcher(url).matches()) {
      return;
    }
    String path =
        url.substring(
            url.toLowerCase(Locale.ROOT).startsWith(H2_FILE) ? H2_FILE.length() : H2.length());
    path = path.split(";", 2)[0];
    if (!path.startsWith("~")) {
      PrivateFolder.createFor(path);
    }
  }

  private static boolean isSharableFile(String url) {
    return url.toLowerCase(Locale.ROOT).startsWith(H2)
        && !NOT_A_FILE.matcher(url).matches()
        && !MODE_SET.matcher(url).matches();
  }

  /**
   * Why H2's server could be reached from other machines; empty when it listens on loopback only.
   */
  private static Optional<String> loopbackOnly() {
    String address = org.h2.engine.SysProperties.BIND_ADDRESS;
    if (address == null || address.isEmpty()) {
      return Optional.of(
          "H2 was loaded before "
              + BIND_ADDRESS_PROPERTY
              + " was set, so its server would listen on"
              + " every interface. Start the JVM with -D"
              + BIND_ADDRESS_PROPERTY
              + "="
              + LOOPBACK);
    }
    try {
      if (InetAddress.getByName(address).isLoopbackAddress()) {
        return Optional.empty();
      }
    } catch (UnknownHostException e) {
      return Optional.of(BIND_ADDRESS_PROPERTY + " names an unknown host, " + address);
    }
    return Optional.of(
        BIND_ADDRESS_PROPERTY
            + " is "
            + address
            + ", not a loopback address, and the history's"
            + " server must not be reachable from other machines. Unset it, or keep a shared history in PostgreSQL");
  }
}
