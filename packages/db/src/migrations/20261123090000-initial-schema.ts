import { type Kysely, sql } from 'kysely';

/**
 * The whole domain of docs/metrics.md: source objects (repositories, PRs, reviews, commits,
 * deployments, incidents, Jira issues), the team model (dated memberships, owned repositories
 * and Jira projects), deployment-to-change links, sync bookkeeping and raw payloads.
 *
 * Times are `timestamptz` (UTC). Ids from sources are stored as text `external_id` beside our
 * own bigint ids so that upserts are idempotent on the source's id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('repositories')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull().defaultTo('github'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('default_branch', 'text', (c) => c.notNull().defaultTo('main'))
    .addColumn('html_url', 'text')
    .addColumn('archived', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('repositories_provider_external_id_key', ['provider', 'external_id'])
    .addUniqueConstraint('repositories_full_name_key', ['full_name'])
    .execute();

  await db.schema
    .createTable('teams')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Membership is dated: a change belongs to the team of its author at merged_at.
  await db.schema
    .createTable('team_memberships')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'bigint', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('member_name', 'text')
    .addColumn('github_login', 'text')
    .addColumn('jira_account_id', 'text')
    .addColumn('valid_from', 'date', (c) => c.notNull().defaultTo(sql`'1970-01-01'::date`))
    .addColumn('valid_to', 'date')
    .addCheckConstraint(
      'team_memberships_has_identity',
      sql`github_login is not null or jira_account_id is not null`,
    )
    .addCheckConstraint('team_memberships_valid_range', sql`valid_to is null or valid_to >= valid_from`)
    .execute();
  await sql`create index team_memberships_github_login_idx on team_memberships (lower(github_login), valid_from)`.execute(
    db,
  );
  await db.schema.createIndex('team_memberships_team_idx').on('team_memberships').column('team_id').execute();

  await db.schema
    .createTable('team_repositories')
    .addColumn('team_id', 'bigint', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('repository_id', 'bigint', (c) =>
      c.notNull().references('repositories.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('team_repositories_pkey', ['team_id', 'repository_id'])
    .execute();
  await db.schema
    .createIndex('team_repositories_repository_idx')
    .on('team_repositories')
    .column('repository_id')
    .execute();

  await db.schema
    .createTable('team_jira_projects')
    .addColumn('team_id', 'bigint', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('project_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_jira_projects_pkey', ['team_id', 'project_key'])
    .execute();

  await db.schema
    .createTable('pull_requests')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('repository_id', 'bigint', (c) =>
      c.notNull().references('repositories.id').onDelete('cascade'),
    )
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('author_login', 'text')
    .addColumn('author_is_bot', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('state', 'text', (c) => c.notNull()) // open | closed | merged
    .addColumn('draft', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('base_branch', 'text')
    .addColumn('head_branch', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ready_for_review_at', 'timestamptz') // opened, or left draft
    .addColumn('first_commit_at', 'timestamptz')
    .addColumn('first_review_at', 'timestamptz') // first review or comment by someone other than the author, bots excluded
    .addColumn('merged_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('source_updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('additions', 'integer')
    .addColumn('deletions', 'integer')
    .addColumn('changed_files', 'integer')
    .addColumn('commits_count', 'integer')
    .addColumn('merge_commit_sha', 'text')
    .addColumn('labels', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('is_unplanned', 'boolean', (c) => c.notNull().defaultTo(false)) // bug / hotfix / revert
    .addColumn('linked_issue_keys', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('html_url', 'text')
    .addUniqueConstraint('pull_requests_repository_number_key', ['repository_id', 'number'])
    .execute();
  await db.schema
    .createIndex('pull_requests_repo_merged_idx')
    .on('pull_requests')
    .columns(['repository_id', 'merged_at'])
    .execute();
  await db.schema
    .createIndex('pull_requests_repo_created_idx')
    .on('pull_requests')
    .columns(['repository_id', 'created_at'])
    .execute();
  await sql`create index pull_requests_author_merged_idx on pull_requests (lower(author_login), merged_at)`.execute(
    db,
  );
  await sql`create index pull_requests_open_idx on pull_requests (repository_id, created_at) where merged_at is null and closed_at is null`.execute(
    db,
  );

  await db.schema
    .createTable('pull_request_reviews')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('pull_request_id', 'bigint', (c) =>
      c.notNull().references('pull_requests.id').onDelete('cascade'),
    )
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('review')) // review | comment
    .addColumn('reviewer_login', 'text')
    .addColumn('reviewer_is_bot', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('state', 'text', (c) => c.notNull()) // APPROVED | CHANGES_REQUESTED | COMMENTED | DISMISSED
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('pull_request_reviews_pr_idx')
    .on('pull_request_reviews')
    .columns(['pull_request_id', 'submitted_at'])
    .execute();
  await sql`create index pull_request_reviews_reviewer_idx on pull_request_reviews (lower(reviewer_login), submitted_at)`.execute(
    db,
  );

  await db.schema
    .createTable('pull_request_commits')
    .addColumn('pull_request_id', 'bigint', (c) =>
      c.notNull().references('pull_requests.id').onDelete('cascade'),
    )
    .addColumn('sha', 'text', (c) => c.notNull())
    .addColumn('author_login', 'text')
    .addColumn('author_email', 'text')
    .addColumn('authored_at', 'timestamptz', (c) => c.notNull())
    .addColumn('committed_at', 'timestamptz')
    .addPrimaryKeyConstraint('pull_request_commits_pkey', ['pull_request_id', 'sha'])
    .execute();
  await sql`create index pull_request_commits_author_idx on pull_request_commits (lower(author_login), authored_at)`.execute(
    db,
  );

  await db.schema
    .createTable('deployments')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('repository_id', 'bigint', (c) =>
      c.notNull().references('repositories.id').onDelete('cascade'),
    )
    .addColumn('source', 'text', (c) => c.notNull()) // github_deployments | workflow_runs | webhook | releases | tags
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('is_production', 'boolean', (c) => c.notNull())
    .addColumn('sha', 'text')
    .addColumn('ref', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // success | failure | error | in_progress | pending | inactive
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('deployed_at', 'timestamptz') // time of the success; null unless successful
    .addColumn('rolled_back', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('is_unplanned', 'boolean', (c) => c.notNull().defaultTo(false)) // ships a bug/hotfix/revert change
    .addColumn('url', 'text')
    .addColumn('source_updated_at', 'timestamptz')
    .addUniqueConstraint('deployments_source_external_id_key', ['source', 'external_id'])
    .execute();
  await sql`create index deployments_repo_deployed_idx on deployments (repository_id, deployed_at) where is_production and deployed_at is not null`.execute(
    db,
  );
  await db.schema
    .createIndex('deployments_sha_idx')
    .on('deployments')
    .columns(['repository_id', 'sha'])
    .execute();

  // A change is deployed by the first production deployment that contains its merge commit.
  await db.schema
    .createTable('deployment_changes')
    .addColumn('pull_request_id', 'bigint', (c) =>
      c.primaryKey().references('pull_requests.id').onDelete('cascade'),
    )
    .addColumn('deployment_id', 'bigint', (c) => c.notNull().references('deployments.id').onDelete('cascade'))
    .addColumn('attribution', 'text', (c) => c.notNull().check(sql`attribution in ('commit', 'time')`))
    .execute();
  await db.schema
    .createIndex('deployment_changes_deployment_idx')
    .on('deployment_changes')
    .column('deployment_id')
    .execute();

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull()) // jira | github | webhook
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text')
    .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('repository_id', 'bigint', (c) => c.references('repositories.id').onDelete('set null'))
    .addColumn('team_id', 'bigint', (c) => c.references('teams.id').onDelete('set null'))
    .addColumn('jira_project_key', 'text')
    .addColumn('severity', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('deployment_ref', 'text') // the deployment the incident names explicitly, if any
    .addColumn('caused_by_deployment_id', 'bigint', (c) =>
      c.references('deployments.id').onDelete('set null'),
    )
    .addColumn('url', 'text')
    .addColumn('source_updated_at', 'timestamptz')
    .addUniqueConstraint('incidents_source_external_id_key', ['source', 'external_id'])
    .execute();
  await db.schema
    .createIndex('incidents_repo_started_idx')
    .on('incidents')
    .columns(['repository_id', 'started_at'])
    .execute();
  await db.schema
    .createIndex('incidents_team_started_idx')
    .on('incidents')
    .columns(['team_id', 'started_at'])
    .execute();
  await db.schema
    .createIndex('incidents_caused_by_idx')
    .on('incidents')
    .column('caused_by_deployment_id')
    .execute();
  await db.schema.createIndex('incidents_resolved_idx').on('incidents').column('resolved_at').execute();

  await db.schema
    .createTable('jira_issues')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('project_key', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('issue_type_id', 'text', (c) => c.notNull())
    .addColumn('issue_type_name', 'text', (c) => c.notNull())
    .addColumn('classification', 'text', (c) =>
      c.notNull().check(sql`classification in ('incident', 'bug', 'planned')`),
    )
    .addColumn('status_name', 'text')
    .addColumn('status_category', 'text') // new | indeterminate | done
    .addColumn('labels', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('assignee_account_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('source_updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('url', 'text')
    .execute();
  await db.schema
    .createIndex('jira_issues_project_resolved_idx')
    .on('jira_issues')
    .columns(['project_key', 'resolved_at'])
    .execute();

  await db.schema
    .createTable('jira_issue_transitions')
    .addColumn('jira_issue_id', 'bigint', (c) => c.notNull().references('jira_issues.id').onDelete('cascade'))
    .addColumn('external_id', 'text', (c) => c.notNull()) // changelog history id
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('author_account_id', 'text')
    .addColumn('transitioned_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('jira_issue_transitions_pkey', ['jira_issue_id', 'external_id'])
    .execute();

  // Every fetched object, as fetched, so a fixed transform can be re-run without re-fetching.
  await db.schema
    .createTable('raw_payloads')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull()) // github | jira | webhook
    .addColumn('kind', 'text', (c) => c.notNull()) // pull_request | review | deployment | issue | ...
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text') // e.g. owner/repo or Jira project
    .addColumn('url', 'text')
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('fetched_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('raw_payloads_source_kind_external_id_key', ['source', 'kind', 'external_id'])
    .execute();

  // Incremental sync state per source endpoint: a cursor (e.g. last updated_at) and the ETag of
  // the first page, so that a re-sync with nothing new costs a 304.
  await db.schema
    .createTable('sync_cursors')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('endpoint', 'text', (c) => c.notNull())
    .addColumn('cursor', 'text')
    .addColumn('etag', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('sync_cursors_pkey', ['source', 'scope', 'endpoint'])
    .execute();

  await db.schema
    .createTable('sync_runs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('running')) // running | succeeded | failed
    .addColumn('requests', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('not_modified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('items_upserted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('items_skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rate_limit_remaining', 'integer')
    .addColumn('rate_limit_reset_at', 'timestamptz')
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('sync_runs_source_scope_idx')
    .on('sync_runs')
    .columns(['source', 'scope', 'started_at'])
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('webhook_deliveries_source_delivery_key', ['source', 'delivery_id'])
    .execute();

  // Tokens are stored as SHA-256 hashes only; the plaintext is shown once at creation.
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('viewer', 'admin', 'webhook')`))
    .addColumn('scope', 'text') // webhook source name for role = webhook
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('app_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'app_settings',
    'api_tokens',
    'webhook_deliveries',
    'sync_runs',
    'sync_cursors',
    'raw_payloads',
    'jira_issue_transitions',
    'jira_issues',
    'incidents',
    'deployment_changes',
    'deployments',
    'pull_request_commits',
    'pull_request_reviews',
    'pull_requests',
    'team_jira_projects',
    'team_repositories',
    'team_memberships',
    'teams',
    'repositories',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
