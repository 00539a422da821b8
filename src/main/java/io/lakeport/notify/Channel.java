package io.lakeport.notify;

import java.time.Duration;

/** A place notifications go: a webhook, a Slack incoming webhook, an SMTP server. */
interface Channel {
  /** The name the site settings give it. */
  String name();

  /** webhook, slack or email: what the history records as the channel. */
  String type();

  /**
   * Where it goes, as the history and logs show it: nothing secret (masked, or the variable's
   * name).
   */
  String target();

  /** Sends one message, giving up after {@code timeout}; any exception is a failed try. */
  void send(Message message, Duration timeout) throws Exception;
}
