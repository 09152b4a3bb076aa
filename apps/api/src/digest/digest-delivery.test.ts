import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listDigestDeliveries, syncPlansFromConfig, syncTeamsFromConfig } from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { generateOrg, seedOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadApiConfig, resolveDigestChannels } from '../config.ts';
import { type DigestJobs, startDigestJobs } from './digest-jobs.ts';

// The digest job delivers to a local server speaking Slack's incoming-webhook protocol (JSON
// POST, `ok` or an error status) and to a local SMTP server; both record what they received.
const end = new Date(Date.UTC(2025, 5, 1));
const org = generateOrg({ teams: 2, membersPerTeam: 5, reposPerTeam: 2, days: 120, end, seed: 7 });
const team = org.teams[0]!;
// The second team has its own Slack channel (its webhook URL in the variable the config names)
// and its own recipients; the first and the org digest go to the defaults of the environment.
const ownTeam = org.teams[1]!;
const strideConfig = parseStrideConfig({
  teams: [
    {
      ...team,
      goals: [{ metric: 'change_failure_rate', statistic: 'value', target: '10%', direction: '<=' }],
      agreements: { maxPrOpenDays: 3, pickupBusinessHours: 8 },
    },
    {
      ...ownTeam,
      digest: {
        slackWebhookEnv: 'STRIDE_TEST_SLACK_OWN_TEAM',
        email: ['own-lead@example.com', 'own-em@example.com'],
      },
    },
  ],
  digests: { dashboardUrl: 'https://stride.example.com', org: { email: ['head@example.com'] } },
});

interface SlackPost {
  /** Path the post went to (which incoming webhook: which channel). */
  path: string;
  text: string;
  blocks: { type: string; text?: { text: string }; elements?: { url?: string }[] }[];
}

const waitFor = async (what: string, check: () => Promise<boolean> | boolean, ms = 60_000) => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

describe('digest job delivering to Slack and SMTP', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let jobs: DigestJobs;
  let slack: Server;
  let smtp: SMTPServer;
  const posts: SlackPost[] = [];
  const mails: string[] = [];
  let failNextSlack = 0;

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedOrg(t.db, org);
    await syncTeamsFromConfig(t.db, strideConfig.teams);
    await syncPlansFromConfig(t.db, strideConfig);
    slack = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        if (req.method !== 'POST' || req.headers['content-type'] !== 'application/json') {
          res.writeHead(400).end('invalid_payload');
          return;
        }
        if (failNextSlack > 0) {
          failNextSlack -= 1;
          res.writeHead(500).end('internal_error');
          return;
        }
        posts.push({ ...(JSON.parse(body) as Omit<SlackPost, 'path'>), path: req.url ?? '' });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((r) => slack.listen(0, '127.0.0.1', r));
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        let raw = '';
        stream.on('data', (c) => {
          raw += c;
        });
        stream.on('end', () => {
          mails.push(raw);
          callback();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    const slackBase = `http://127.0.0.1:${(slack.address() as AddressInfo).port}`;
    const config = loadApiConfig({
      RATE_LIMIT_PER_MINUTE: '100000',
      STRIDE_DIGEST_SLACK_WEBHOOK_URL: `${slackBase}/services/T000/B000/XXXX`,
      STRIDE_DIGEST_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      STRIDE_DIGEST_EMAIL_TO: 'em@example.com',
    });
    app = await buildApp({ db: t.db, config, strideConfig, logger: false });
    jobs = await startDigestJobs({
      app,
      databaseUrl: t.url,
      channels: resolveDigestChannels(config, strideConfig, {
        STRIDE_TEST_SLACK_OWN_TEAM: `${slackBase}/services/T000/B111/OWNTEAM`,
      }),
      retryDelay: 1,
      pollingIntervalSeconds: 0.5,
      schedule: false,
    });
  }, 120_000);
  afterAll(async () => {
    await jobs?.stop();
    await app?.close();
    await new Promise((r) => slack?.close(r));
    await new Promise((r) => smtp?.close(() => r(undefined)));
    await t?.destroy();
  });

  it('sends the team digest once to Slack (Block Kit) and by e-mail (HTML and text); a retried job sends nothing again', async () => {
    const job = { team: team.slug, from: '2025-05-04', to: '2025-06-01' };
    await jobs.queue(job);
    await waitFor('the first delivery', () => posts.length === 1 && mails.length === 1);

    const post = posts[0]!;
    expect(post.path).toBe('/services/T000/B000/XXXX');
    expect(post.text).toBe(`Stride digest: ${team.name}, 2025-05-04 to 2025-06-01`);
    expect(post.blocks[0]).toMatchObject({ type: 'header' });
    const sections = post.blocks.filter((b) => b.type === 'section').map((b) => b.text!.text);
    const changed = sections.find((s) => s.startsWith('*What changed*'))!;
    expect(changed).toMatch(
      /Change failure rate: \d+ % \(n = \d+\), (unchanged|[+−]\d+ pp, (better|worse)|no previous data)/,
    );
    expect(changed).toMatch(/Deployments: \d+ \(n = \d+\)/);
    expect(sections.find((s) => s.startsWith('*Goals*'))).toContain('Change failure rate &lt;= 10 %'); // Slack mrkdwn escapes < and &
    expect(sections.find((s) => s.startsWith('*Working agreements*'))).toContain('PR open at most 3 days');
    const button = post.blocks.find((b) => b.type === 'actions')!.elements![0]!;
    expect(button.url).toBe(
      `https://stride.example.com/teams/${team.slug}?period=custom&from=2025-05-04&to=2025-06-01`,
    );

    const mail = mails[0]!;
    expect(mail).toContain(`Subject: Stride digest: ${team.name}, 2025-05-04 to 2025-06-01`);
    expect(mail).toContain('To: em@example.com');
    expect(mail).toMatch(/Content-Type: text\/plain/);
    expect(mail).toMatch(/Content-Type: text\/html/);

    // The same job again (a retry after a crash, a second scheduler): nothing is sent twice.
    await jobs.queue(job);
    await waitFor(
      'the second run',
      async () =>
        (await t.db.selectFrom('sync_runs').select('id').where('source', '=', 'digest').execute()).length ===
        2,
    );
    await waitFor('the second run to finish', async () => {
      const runs = await t.db
        .selectFrom('sync_runs')
        .select('status')
        .where('source', '=', 'digest')
        .execute();
      return runs.every((r) => r.status !== 'running');
    });
    expect(posts).toHaveLength(1);
    expect(mails).toHaveLength(1);
  }, 120_000);

  it('previews the digest the dashboard shows; bad parameters name themselves', async () => {
    const res = await app.inject({ url: `/api/teams/${team.slug}/digest?from=2025-05-04&to=2025-06-01` });
    expect(res.statusCode).toBe(200);
    const preview = res.json();
    expect(preview.subject).toBe(posts[0]!.text);
    expect(preview.text).toContain('Change failure rate <= 10 %');
    expect(preview.html).toContain('Change failure rate &lt;= 10 %');
    expect(preview.link).toContain('period=custom&from=2025-05-04&to=2025-06-01');
    const half = await app.inject({ url: `/api/teams/${team.slug}/digest?from=2025-05-04` });
    expect(half.statusCode).toBe(400);
    expect(half.json().error.message).toMatch(/^to:/);
    expect((await app.inject({ url: '/api/teams/ghosts/digest' })).statusCode).toBe(404);
    const orgPreview = await app.inject({ url: '/api/org/digest?from=2025-05-04&to=2025-06-01' });
    expect(orgPreview.statusCode).toBe(200);
    // The org digest lists each team with goals and its status counts.
    expect(orgPreview.json().text).toMatch(new RegExp(`${team.name}: \\d+ met, \\d+ at risk, \\d+ missed`));
  }, 60_000);

  it('retries a failed Slack post and shows the failure in the sync status', async () => {
    failNextSlack = 1;
    const before = { posts: posts.length, mails: mails.length };
    const job = { team: team.slug, from: '2025-04-06', to: '2025-05-04' };
    await jobs.queue(job);
    await waitFor('the retried delivery', () => posts.length === before.posts + 1);
    expect(mails).toHaveLength(before.mails + 1);
    const deliveries = await listDigestDeliveries(t.db, `team:${team.slug}`);
    const slackDelivery = deliveries.find(
      (d) => d.periodKey === '2025-04-06..2025-05-04' && d.channel === 'slack',
    )!;
    expect(slackDelivery).toMatchObject({ status: 'sent', attempts: 2 });
    const runs = await t.db
      .selectFrom('sync_runs')
      .select(['status', 'error'])
      .where('source', '=', 'digest')
      .where('scope', '=', `team:${team.slug} 2025-04-06..2025-05-04`)
      .orderBy('id')
      .execute();
    expect(runs.map((r) => r.status)).toEqual(['failed', 'succeeded']);
    expect(runs[0]!.error).toBe('slack: Slack answered 500 internal_error (attempt 1)');
    const status = await app.inject({ url: '/api/sync-status' });
    expect(status.body).toContain('digest');
    // The retry is visible: the delivery went out at its second attempt.
    expect(status.json().digests).toContainEqual(
      expect.objectContaining({
        digest: `team:${team.slug}`,
        period: '2025-04-06..2025-05-04',
        channel: 'slack',
        status: 'sent',
        attempts: 2,
        error: null,
      }),
    );
    // The webhook URL is a secret: it never reaches the sync status.
    expect(status.body).not.toContain('/services/T000');
  }, 120_000);

  it("sends a team's digest to its own Slack webhook and recipients, the org digest to its own recipients", async () => {
    const before = { posts: posts.length, mails: mails.length };
    await jobs.queue({ team: ownTeam.slug, from: '2025-05-04', to: '2025-06-01' });
    await jobs.queue({ from: '2025-05-04', to: '2025-06-01' });
    await waitFor(
      'both digests',
      () => posts.length === before.posts + 2 && mails.length === before.mails + 2,
    );
    const sent = posts.slice(before.posts);
    const own = sent.find((p) => p.text.startsWith(`Stride digest: ${ownTeam.name}`))!;
    expect(own.path).toBe('/services/T000/B111/OWNTEAM');
    // The org digest has no Slack channel of its own: it goes to the default webhook.
    const orgPost = sent.find((p) => p !== own)!;
    expect(orgPost.path).toBe('/services/T000/B000/XXXX');
    const newMails = mails.slice(before.mails);
    const ownMail = newMails.find((m) => m.includes(`Subject: Stride digest: ${ownTeam.name}`))!;
    expect(ownMail).toMatch(/To: own-lead@example\.com, own-em@example\.com/);
    expect(ownMail).not.toContain('em@example.com>');
    const orgMail = newMails.find((m) => m !== ownMail)!;
    expect(orgMail).toContain('To: head@example.com');
    const deliveries = await listDigestDeliveries(t.db, `team:${ownTeam.slug}`);
    expect(deliveries.map((d) => [d.channel, d.status, d.attempts]).sort()).toEqual([
      ['email', 'sent', 1],
      ['slack', 'sent', 1],
    ]);
  }, 120_000);

  it('a webhook variable the config names but the environment lacks fails at boot, naming the key', () => {
    const config = loadApiConfig({});
    expect(() => resolveDigestChannels(config, strideConfig, {})).toThrow(
      'teams[1].digest.slackWebhookEnv: environment variable STRIDE_TEST_SLACK_OWN_TEAM is not set',
    );
    expect(() =>
      resolveDigestChannels(config, strideConfig, { STRIDE_TEST_SLACK_OWN_TEAM: 'hooks.slack.com/x' }),
    ).toThrow(/STRIDE_TEST_SLACK_OWN_TEAM must be an http\(s\) URL$/);
    // A URL written in the config itself is refused: secrets live in the environment only.
    expect(() =>
      parseStrideConfig({
        teams: [{ ...ownTeam, digest: { slackWebhookEnv: 'https://hooks.slack.com/services/T/B/X' } }],
      }),
    ).toThrow(/teams\[0\]\.digest\.slackWebhookEnv: must be the name of an environment variable/);
  });
});
