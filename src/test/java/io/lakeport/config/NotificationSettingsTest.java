package io.lakeport.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.config.NotificationSettings.Email;
import io.lakeport.config.NotificationSettings.Slack;
import io.lakeport.config.NotificationSettings.Webhook;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lakeport.notifications} and a job's {@code notifications} block read into records. */
class NotificationSettingsTest {
  private static final Path VALID = Path.of("src/test/resources/site/valid/notifications.conf");
  @TempDir Path dir;

  @Test
  void everyChannelKindIsReadWithItsSecretsAsPlacesNotValues() {
    NotificationSettings settings = Site.load(Optional.of(VALID)).notifications();

    assertThat(settings.channels())
        .containsOnlyKeys("ops-hook", "partner-hook", "team-slack", "team-mail");
    assertThat(settings.channels().get("ops-hook"))
        .isEqualTo(
            new Webhook(
                "ops-hook",
                Optional.of(URI.create("https://ops.example.com/lakeport")),
                Optional.empty(),
                Optional.of(Secret.environment("LAKEPORT_HOOK_KEY"))));
    assertThat(settings.channels().get("partner-hook"))
        .isEqualTo(
            new Webhook(
                "partner-hook",
                Optional.empty(),
                Optional.of(Secret.file("/etc/lakeport/partner-hook.url")),
                Optional.empty()));
    assertThat(settings.channels().get("team-slack"))
        .isEqualTo(new Slack("team-slack", Secret.environment("LAKEPORT_SLACK_URL")));
    assertThat(settings.channels().get("team-mail"))
        .isEqualTo(
            new Email(
                "team-mail",
                "smtp.example.com",
                465,
                NotificationSettings.Security.SMTPS,
                Optional.of("lakeport"),
                Optional.of(Secret.file("/etc/lakeport/smtp.password")),
                "lakeport@example.com",
                List.of("data-team@example.com"),
                Optional.of(Path.of("/etc/lakeport/company-ca.pem"))));
    assertThat(settings.channels().get("team-mail").toString())
        .contains("file:/etc/lakeport/smtp.password");
    assertThat(settings.subscriptions().subscriptions().get("team-slack").events())
        .containsExactlyInAnyOrder(EventType.RUN_FAILED, EventType.SCHEDULE_MISSED);
    assertThat(settings.subscriptions().subscriptions().get("team-mail").level())
        .as("the default level")
        .isEqualTo(EventType.Level.WARNING);
    assertThat(settings.delivery())
        .isEqualTo(
            new NotificationSettings.Delivery(
                5,
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                Duration.ofSeconds(10),
                Duration.ofMinutes(2)));
    assertThat(settings.linkExpiry()).isEqualTo(Duration.ofHours(2));
    assertThat(settings.attachMaxBytes()).isEqualTo(5_000_000);
  }

  @Test
  void aJobsSubscriptionsAddToTheSitesAndReplaceItsForTheSameChannel() {
    Site site = Site.load(Optional.of(VALID));
    Path job =
        Fixtures.write(
            dir,
            "job.conf",
            """
        name = orders
        source { format = csv, path = /in.csv }
        sink { format = csv, path = /tmp/out }
        notifications {
          team-mail { events = [run-succeeded], to = ["partner@example.com"] }
          partner-hook {}
        }
        """);

    NotificationSpec spec =
        new JobLoader(site).load(job, Map.of(), JobLoader.Mode.VALIDATE).notifications();
    NotificationSpec effective = spec.over(site.notifications().subscriptions());

    assertThat(effective.subscriptions())
        .containsOnlyKeys("ops-hook", "team-slack", "team-mail", "partner-hook");
    NotificationSpec.Subscription mail = effective.subscriptions().get("team-mail");
    assertThat(mail.to()).containsExactly("partner@example.com");
    assertThat(mail.wants(EventType.RUN_SUCCEEDED)).isTrue();
    assertThat(mail.wants(EventType.RUN_FAILED)).as("a list, not a level").isFalse();
    NotificationSpec.Subscription partner = effective.subscriptions().get("partner-hook");
    assertThat(Set.of(EventType.values()))
        .filteredOn(partner::wants)
        .containsExactlyInAnyOrder(
            EventType.RUN_FAILED,
            EventType.QUALITY_WARNING,
            EventType.SCHEDULE_MISSED,
            EventType.UPSTREAM_LATE,
            EventType.SCHEMA_CHANGED,
            EventType.RUN_SLOW,
            EventType.EXPORT_LATE,
            EventType.FAILURE_RATE,
            EventType.ROWS_DROPPED);
  }

  @Test
  void backoffDoublesUpToTheMaximum() {
    NotificationSettings.Delivery delivery =
        new NotificationSettings.Delivery(
            6, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ZERO);

    assertThat(List.of(1, 2, 3, 4, 5))
        .extracting(delivery::backoff)
        .containsExactly(
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8),
            Duration.ofSeconds(10),
            Duration.ofSeconds(10));
  }
}
