import type { Db } from '../connection.ts';

/** Reads an app setting (jsonb) by key. @returns the parsed value, or undefined when unset. */
export async function getAppSetting<T = unknown>(db: Db, key: string): Promise<T | undefined> {
  const row = await db.selectFrom('app_settings').select('value').where('key', '=', key).executeTakeFirst();
  return row === undefined ? undefined : (row.value as T);
}

/** Writes an app setting (any JSON value) by key, replacing an earlier value. */
export async function setAppSetting(db: Db, key: string, value: unknown): Promise<void> {
  await db
    .insertInto('app_settings')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: new Date() })),
    )
    .execute();
}

/** Every app setting, by key: `{ key, value (parsed JSON), updatedAt }`. */
export async function listAppSettings(db: Db): Promise<{ key: string; value: unknown; updatedAt: Date }[]> {
  const rows = await db
    .selectFrom('app_settings')
    .select(['key', 'value', 'updated_at'])
    .orderBy('key')
    .execute();
  return rows.map((r) => ({ key: r.key, value: r.value, updatedAt: r.updated_at }));
}
