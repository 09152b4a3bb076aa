/** Seed of the demo organisation `npm start` loads without config. */
export const DEMO_SEED = 2026;
/** Size of that organisation. */
export const DEMO_SIZE = { teams: 8, repositories: 40, years: 2 } as const;
/** Database of the demo (inside the embedded server), kept apart from the real data's `stride`. */
export const DEMO_DATABASE_NAME = 'stride_demo';
