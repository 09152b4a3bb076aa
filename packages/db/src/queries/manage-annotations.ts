import type { Db } from '../connection.ts';

/** An annotation an admin or the config wrote: an event on a day (or a span of days). */
export interface AnnotationRow {
  id: string;
  /** null = org-wide. */
  teamSlug: string | null;
  kind: string;
  title: string;
  /** ISO dates, inclusive. */
  startsOn: string;
  endsOn: string | null;
  origin: 'config' | 'api';
  createdAt: Date;
}

export interface AnnotationInput {
  teamSlug: string | null;
  kind: string;
  title: string;
  startsOn: string;
  endsOn: string | null;
}

const columns = ['id', 'team_slug', 'kind', 'title', 'starts_on', 'ends_on', 'origin', 'created_at'] as const;

function toRow(r: {
  id: string;
  team_slug: string | null;
  kind: string;
  title: string;
  starts_on: string;
  ends_on: string | null;
  origin: 'config' | 'api';
  created_at: Date;
}): AnnotationRow {
  return {
    id: r.id,
    teamSlug: r.team_slug,
    kind: r.kind,
    title: r.title,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    origin: r.origin,
    createdAt: r.created_at,
  };
}

/**
 * Stored annotations overlapping the dates [from, to] (inclusive ISO dates), ordered by date:
 * org-wide ones, plus a team's own when `teamSlug` is given (every team's when it is undefined).
 */
export async function listStoredAnnotations(
  db: Db,
  options: { from: string; to: string; teamSlug?: string | null },
): Promise<AnnotationRow[]> {
  let query = db
    .selectFrom('annotations')
    .select(columns)
    .where('starts_on', '<=', options.to)
    .where((eb) => eb.or([eb('ends_on', '>=', options.from), eb('starts_on', '>=', options.from)]));
  if (options.teamSlug !== undefined) {
    const slug = options.teamSlug;
    query = query.where((eb) =>
      slug === null
        ? eb('team_slug', 'is', null)
        : eb.or([eb('team_slug', 'is', null), eb('team_slug', '=', slug)]),
    );
  }
  const rows = await query.orderBy('starts_on').orderBy('id').execute();
  return rows.map(toRow);
}

/** Stores an admin's annotation (origin `api`). */
export async function createAnnotation(db: Db, input: AnnotationInput): Promise<AnnotationRow> {
  const row = await db
    .insertInto('annotations')
    .values({
      team_slug: input.teamSlug,
      kind: input.kind,
      title: input.title,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      origin: 'api',
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toRow(row);
}

/**
 * Replaces an admin's annotation (origin `api`; the config's change in the config file).
 * @returns the row, or undefined when no api annotation has this id
 */
export async function updateAnnotation(
  db: Db,
  id: string,
  input: AnnotationInput,
): Promise<AnnotationRow | undefined> {
  const row = await db
    .updateTable('annotations')
    .set({
      team_slug: input.teamSlug,
      kind: input.kind,
      title: input.title,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
    })
    .where('id', '=', id)
    .where('origin', '=', 'api')
    .returning(columns)
    .executeTakeFirst();
  return row ? toRow(row) : undefined;
}

/** Deletes an admin's annotation. @returns whether an api annotation with this id existed */
export async function deleteAnnotation(db: Db, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('annotations')
    .where('id', '=', id)
    .where('origin', '=', 'api')
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Replaces the config's annotations with `annotations` (admin ones stay). */
export async function syncAnnotationsFromConfig(
  db: Db,
  annotations: readonly AnnotationInput[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('annotations').where('origin', '=', 'config').execute();
    if (annotations.length === 0) return;
    await trx
      .insertInto('annotations')
      .values(
        annotations.map((a) => ({
          team_slug: a.teamSlug,
          kind: a.kind,
          title: a.title,
          starts_on: a.startsOn,
          ends_on: a.endsOn,
          origin: 'config' as const,
        })),
      )
      .execute();
  });
}
