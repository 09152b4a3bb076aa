import {
  claimDigestDelivery,
  type Db,
  type DigestDeliveryKey,
  finishDigestDelivery,
  finishSyncRun,
  startSyncRun,
} from '@stride/db';
import { createTransport } from 'nodemailer';
import type { DigestChannels, DigestDestination } from '../config.ts';
import type { DigestContent } from './build-digest.ts';
import { renderDigest } from './render-digest.ts';

export type { DigestChannels } from '../config.ts';

/**
 * Where the digest `digest` (`team:<slug>`, `org`) goes: its own Slack webhook and recipients
 * from the config when it has them, else the defaults of the environment, channel by channel.
 */
export function digestDestination(channels: DigestChannels, digest: string): DigestDestination {
  const own = channels.byDigest[digest];
  return {
    slackWebhookUrl: own?.slackWebhookUrl ?? channels.defaults.slackWebhookUrl,
    emailTo: own?.emailTo ?? channels.defaults.emailTo,
  };
}

/** Whether any digest has a channel to go to (nothing is scheduled otherwise). */
export function hasDigestChannel(channels: DigestChannels): boolean {
  const destinations = [channels.defaults, ...Object.values(channels.byDigest)];
  return destinations.some(
    (d) => Boolean(d.slackWebhookUrl) || (Boolean(channels.smtpUrl) && (d.emailTo?.length ?? 0) > 0),
  );
}

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
 * Sends a digest to the channels of its team (or the org): the Slack incoming webhook and the
 * e-mail recipients the config gives it, else the defaults (see digestDestination); e-mail goes
 * through SMTP with HTML and plain-text parts. Each channel at most once per digest and period:
 * a channel already sent is skipped, so a retried job never sends twice. The attempt is recorded
 * in `sync_runs` (source `digest`, its error naming the channel and the attempt's number) and in
 * `digest_deliveries` (attempts so far), both shown by `GET /api/sync-status`.
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
  const destination = digestDestination(channels, content.digest);
  const slackUrl = destination.slackWebhookUrl;
  if (slackUrl) {
    senders.push(['slack', () => postToSlack(slackUrl, { text: rendered.subject, blocks: rendered.blocks })]);
  }
  const smtpUrl = channels.smtpUrl;
  const to = destination.emailTo;
  if (smtpUrl && to.length > 0) {
    senders.push([
      'email',
      async () => {
        const transport = createTransport(smtpUrl);
        try {
          await transport.sendMail({
            from: channels.emailFrom,
            to,
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
    const attempt = await claimDigestDelivery(db, key);
    if (attempt === null) {
      results.push({ channel, outcome: 'already_sent' });
      continue;
    }
    try {
      await send();
      await finishDigestDelivery(db, key);
      results.push({ channel, outcome: 'sent' });
    } catch (error) {
      const reason = `${channel}: ${(error as Error).message}`;
      await finishDigestDelivery(db, key, reason);
      failures.push(`${reason} (attempt ${attempt})`);
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
      ? 'no channel configured (digest.slackWebhookEnv / digest.email in the config, or STRIDE_DIGEST_SLACK_WEBHOOK_URL / STRIDE_DIGEST_SMTP_URL + STRIDE_DIGEST_EMAIL_TO)'
      : undefined,
  );
  if (failures.length > 0) throw new Error(`digest ${content.digest} ${periodKey}: ${failures.join('; ')}`);
  return results;
}
