/**
 * Notifications about runs (webhook, Slack, email) and presigned download links to exports on S3.
 * Sending happens in the background with bounded retries, each try recorded in the run history.
 */
package io.lakeport.notify;
