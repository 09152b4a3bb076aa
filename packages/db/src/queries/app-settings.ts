import type { Db } from '../connection.ts';

/** Reads one app setting (a JSON value by key, e.g. `demo`); `undefined` when unset. */
export async function getAppSetting(db: Db, key: string): Promise<unknown> {
  const row = await db.selectFrom('app_settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Writes one app setting (any JSON-serialisable value), replacing the previous value. */
export async function setAppSetting(db: Db, key: string, value: unknown): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto('app_settings')
    .values({ key, value: json })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: new Date() }))
    .execute();
}
