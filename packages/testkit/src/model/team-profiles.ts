// The people and delivery profiles the organisation model draws from: DORA-level profiles
// (elite to low), the eight team templates (numbered copies beyond eight), names and PR titles.

/** Delivery profile of a team: medians (hours) of log-normal durations, rates and ratios. */
export interface Profile {
  deploysPerRepoWeek: number;
  codingHours: number;
  pickupHours: number;
  reviewHours: number;
  changeFailure: number;
  recoveryHours: number;
  outOfHours: number;
  unplanned: number;
  prsPerMemberWeek: number;
}

export const ELITE: Profile = {
  deploysPerRepoWeek: 7,
  codingHours: 5,
  pickupHours: 1.2,
  reviewHours: 2.5,
  changeFailure: 0.04,
  recoveryHours: 0.7,
  outOfHours: 0.04,
  unplanned: 0.1,
  prsPerMemberWeek: 3,
};
export const HIGH: Profile = {
  deploysPerRepoWeek: 3,
  codingHours: 12,
  pickupHours: 4,
  reviewHours: 6,
  changeFailure: 0.08,
  recoveryHours: 5,
  outOfHours: 0.06,
  unplanned: 0.15,
  prsPerMemberWeek: 2.4,
};
export const MEDIUM: Profile = {
  deploysPerRepoWeek: 0.8,
  codingHours: 26,
  pickupHours: 11,
  reviewHours: 14,
  changeFailure: 0.13,
  recoveryHours: 30,
  outOfHours: 0.08,
  unplanned: 0.2,
  prsPerMemberWeek: 1.8,
};
export const LOW: Profile = {
  deploysPerRepoWeek: 0.22,
  codingHours: 50,
  pickupHours: 26,
  reviewHours: 30,
  changeFailure: 0.24,
  recoveryHours: 180,
  outOfHours: 0.11,
  unplanned: 0.3,
  prsPerMemberWeek: 1.4,
};

export interface TeamTemplate {
  slug: string;
  name: string;
  project: string;
  timezone: string;
  size: number;
  /** Profile at the start and at the end of the history (linear in between: teams improve or slip). */
  from: Profile;
  to: Profile;
}

export const TEAM_TEMPLATES: TeamTemplate[] = [
  {
    slug: 'payments',
    name: 'Payments',
    project: 'PAY',
    timezone: 'Europe/Berlin',
    size: 6,
    from: HIGH,
    to: HIGH,
  },
  {
    slug: 'checkout',
    name: 'Checkout',
    project: 'CHK',
    timezone: 'Europe/London',
    size: 9,
    from: ELITE,
    to: ELITE,
  },
  {
    slug: 'platform',
    name: 'Platform',
    project: 'PLT',
    timezone: 'America/New_York',
    size: 5,
    from: HIGH,
    to: ELITE,
  },
  {
    slug: 'mobile',
    name: 'Mobile',
    project: 'MOB',
    timezone: 'America/Los_Angeles',
    size: 7,
    from: LOW,
    to: MEDIUM,
  },
  {
    slug: 'search',
    name: 'Search',
    project: 'SRC',
    timezone: 'Asia/Kolkata',
    size: 8,
    from: MEDIUM,
    to: MEDIUM,
  },
  {
    slug: 'data',
    name: 'Data',
    project: 'DAT',
    timezone: 'Europe/Lisbon',
    size: 4,
    from: MEDIUM,
    to: LOW,
  },
  {
    slug: 'identity',
    name: 'Identity',
    project: 'IDN',
    timezone: 'Australia/Sydney',
    size: 3,
    from: HIGH,
    to: HIGH,
  },
  {
    slug: 'growth',
    name: 'Growth',
    project: 'GRW',
    timezone: 'America/Sao_Paulo',
    size: 13,
    from: LOW,
    to: LOW,
  },
];

export const REPO_SUFFIXES = ['api', 'web', 'worker', 'infra', 'sdk', 'service', 'jobs', 'docs'];
export const FIRST_NAMES = [
  'Ada',
  'Alan',
  'Grace',
  'Linus',
  'Barbara',
  'Ken',
  'Margaret',
  'Dennis',
  'Frances',
  'Edsger',
  'Radia',
  'Tim',
  'Hedy',
  'Guido',
  'Katherine',
  'Bjarne',
  'Joan',
  'James',
  'Sophie',
  'John',
  'Anita',
  'Niklaus',
  'Karen',
  'Donald',
  'Mary',
  'Leslie',
  'Shafi',
  'Yukihiro',
  'Adele',
  'Brian',
  'Lynn',
  'Rob',
  'Carol',
  'Andrew',
  'Evelyn',
  'Ward',
  'Jean',
  'Martin',
  'Ivan',
  'Priya',
];
export const LAST_NAMES = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Torvalds',
  'Liskov',
  'Thompson',
  'Hamilton',
  'Ritchie',
  'Allen',
  'Dijkstra',
  'Perlman',
  'Berners',
  'Lamarr',
  'Rossum',
  'Johnson',
  'Stroustrup',
  'Clarke',
  'Gosling',
  'Wilson',
  'Backus',
  'Borg',
  'Wirth',
  'Jones',
  'Knuth',
  'Keller',
  'Lamport',
  'Goldwasser',
  'Matsumoto',
  'Goldberg',
  'Kernighan',
  'Conway',
  'Pike',
  'Shaw',
  'Tanenbaum',
  'Berez',
  'Cunningham',
  'Sammet',
  'Fowler',
  'Sutherland',
  'Rao',
];
export const VERBS = [
  'Add',
  'Update',
  'Refactor',
  'Remove',
  'Improve',
  'Handle',
  'Support',
  'Migrate',
  'Simplify',
  'Cache',
];
export const NOUNS = [
  'retry policy',
  'invoice export',
  'session refresh',
  'rate limiter',
  'search index',
  'feature flag',
  'webhook handler',
  'audit log',
  'metrics endpoint',
  'onboarding flow',
  'currency rounding',
  'push token',
  'config loader',
  'health check',
  'pagination',
  'error messages',
  'batch job',
  'login form',
  'report query',
  'dependency versions',
];
export const BOTS = ['dependabot[bot]', 'renovate[bot]'];

/** Weekday weights, Sunday first: most work happens Monday to Thursday, little at weekends. */
export const WEEKDAY_WEIGHT = [0.05, 1, 1.1, 1.05, 1, 0.75, 0.08];
