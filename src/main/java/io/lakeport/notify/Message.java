package io.lakeport.notify;

import static java.util.Objects.requireNonNull;

import io.lakeport.notify.DownloadLinks.Link;
import java.util.List;
import java.util.Map;

/**
 * One notification on its way to one channel: the event, its JSON payload, the download links of
 * its files (by location) and, for email, the recipients.
 */
record Message(Event event, byte[] payload, Map<String, Link> links, List<String> recipients) {
  Message {
    requireNonNull(event, "event is null");
    requireNonNull(payload, "payload is null");
    links = Map.copyOf(links);
    recipients = List.copyOf(recipients);
  }
}
