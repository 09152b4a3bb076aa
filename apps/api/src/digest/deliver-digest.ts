import {
  claimDigestDelivery,
  type Db,
  type DigestDeliveryKey,
  finishDigestDelivery,
  finishSyncRun,
  startSyncRun,
} from '@stride/db';
import { createTransport } from 'nodemailer';
import type { ApiConfig } from '../config.ts';
import type { DigestContent } from './build-digest.ts';
import { renderDigest } from './render-digest.ts';

/** Where digests go: from the environment only (ApiConfig). */
export type DigestChannels = Pick<
  ApiConfig,
  | 'STRIDE_DIGEST_SLACK_WEBHOOK_URL'
  | 'STRIDE_DIGEST_SMTP_URL'
  | 'STRIDE_DIGEST_EMAIL_FROM'
  | 'STRIDE_DIGEST_EMAIL_TO'
>;

export interface DeliveryResult {
  channel: 'slack' | 'email';
  outcome: 'sent' | 'already_sent';
}

/** Posts to a Slack incoming webhook (`{ text, blocks }`). @throws Error naming the status, never the URL */
async function postToSlack(url: string, body: { text: string; blocks: unknown[] }): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok) {
    const reason = (await response.text().catch(() => '')).slice(0, 100);
    throw new Error(`Slack answered ${response.status} ${reason}`.trim());
  }
}

/**
 * Sends a digest to every configured channel (Slack incoming webhook, SMTP e-mail with HTML and
 * plain-text parts), each at most once per digest and period: a channel already sent is skipped,
 * so a retried job never sends twice. The attempt is recorded in `sync_runs` (source `digest`),
 * so failures show in the sync status.
 * @throws Error when a channel failed (after recording it), for the job queue to retry
 */
export async function deliverDigest(
  db: Db,
  channels: DigestChannels,
  content: DigestContent,
): Promise<DeliveryResult[]> {
  const rendered = renderDigest(content);
  const periodKey = `${content.period.from}..${content.period.to}`;
  const senders: [DigestDeliveryKey['channel'], () => Promise<void>][] = [];
  const slackUrl = channels.STRIDE_DIGEST_SLACK_WEBHOOK_URL;
  if (slackUrl) {
    senders.push(['slack', () => postToSlack(slackUrl, { text: rendered.subject, blocks: rendered.blocks })]);
  }
  const smtpUrl = channels.STRIDE_DIGEST_SMTP_URL;
  const to = channels.STRIDE_DIGEST_EMAIL_TO;
  if (smtpUrl && to) {
    senders.push([
      'email',
      async () => {
        const transport = createTransport(smtpUrl);
        try {
          await transport.sendMail({
            from: channels.STRIDE_DIGEST_EMAIL_FROM,
            to: to.split(',').map((a) => a.trim()),
            subject: rendered.subject,
            text: rendered.text,
            html: rendered.html,
          });
        } finally {
          transport.close();
        }
      },
    ]);
  }
  const runId = await startSyncRun(db, 'digest', `${content.digest} ${periodKey}`);
  const results: DeliveryResult[] = [];
  const failures: string[] = [];
  for (const [channel, send] of senders) {
    const key = { digest: content.digest, periodKey, channel };
    if (!(await claimDigestDelivery(db, key))) {
      results.push({ channel, outcome: 'already_sent' });
      continue;
    }
    try {
      await send();
      await finishDigestDelivery(db, key);
      results.push({ channel, outcome: 'sent' });
    } catch (error) {
      const message = `${channel}: ${(error as Error).message}`;
      await finishDigestDelivery(db, key, message);
      failures.push(message);
    }
  }
  const sent = results.filter((r) => r.outcome === 'sent').length;
  await finishSyncRun(
    db,
    runId,
    {
      requests: senders.length,
      notModified: 0,
      itemsUpserted: sent,
      itemsSkipped: 0,
      rateLimitRemaining: null,
      rateLimitResetAt: null,
    },
    failures.length > 0 ? failures.join('; ') : undefined,
    senders.length === 0
      ? 'no channel configured (STRIDE_DIGEST_SLACK_WEBHOOK_URL, STRIDE_DIGEST_SMTP_URL)'
      : undefined,
  );
  if (failures.length > 0) throw new Error(`digest ${content.digest} ${periodKey}: ${failures.join('; ')}`);
  return results;
}
