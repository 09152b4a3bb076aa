/** Events that explain a line on a time chart (docs/metrics.md, "Annotations"). */
import { type Static, Type as T } from '@sinclair/typebox';
import { IsoDateOrDateTime } from './common.ts';

/** Kinds an admin or the config writes. */
export const MANUAL_ANNOTATION_KINDS = [
  'reorg',
  'tool_adoption',
  'freeze',
  'postmortem',
  'process_change',
  'other',
] as const;
/** Kinds Stride adds by itself. */
export const AUTOMATIC_ANNOTATION_KINDS = ['membership', 'incident', 'goal'] as const;
export type AnnotationKind =
  | (typeof MANUAL_ANNOTATION_KINDS)[number]
  | (typeof AUTOMATIC_ANNOTATION_KINDS)[number];

const kindSchema = T.Union(
  [...MANUAL_ANNOTATION_KINDS, ...AUTOMATIC_ANNOTATION_KINDS].map((k) => T.Literal(k)),
) as unknown as ReturnType<typeof T.Unsafe<AnnotationKind>>;

export const AnnotationSchema = T.Object({
  id: T.String({ description: 'a number for stored ones; kind:… for automatic ones' }),
  kind: T.Unsafe<AnnotationKind>(kindSchema),
  title: T.String(),
  /** Team slug; null when org-wide. */
  team: T.Union([T.String(), T.Null()]),
  /** First day (ISO date, UTC). */
  date: T.String({ format: 'date' }),
  /** Last day of an event that lasts (a freeze); null for a single day. */
  endDate: T.Union([T.String({ format: 'date' }), T.Null()]),
  origin: T.Union([T.Literal('config'), T.Literal('api'), T.Literal('automatic')]),
});
export type Annotation = Static<typeof AnnotationSchema>;

export const AnnotationListSchema = T.Object({ annotations: T.Array(AnnotationSchema) });
export type AnnotationList = Static<typeof AnnotationListSchema>;

export const AnnotationQuerySchema = T.Object({
  team: T.Optional(
    T.String({
      description: "team slug: the org-wide events and the team's own; absent: the org-wide ones",
    }),
  ),
  from: T.Optional(IsoDateOrDateTime('period start (inclusive); default: 90 days before `to`')),
  to: T.Optional(IsoDateOrDateTime('period end (exclusive); default: now')),
  kind: T.Optional(T.String({ description: 'comma-separated kinds to keep, e.g. reorg,incident' })),
});

export const AnnotationBodySchema = T.Object(
  {
    team: T.Optional(T.Union([T.String({ minLength: 1 }), T.Null()])),
    kind: T.Union(MANUAL_ANNOTATION_KINDS.map((k) => T.Literal(k))),
    title: T.String({ minLength: 1, maxLength: 200 }),
    date: T.String({ format: 'date' }),
    endDate: T.Optional(T.Union([T.String({ format: 'date' }), T.Null()])),
  },
  { additionalProperties: false },
);
export const AnnotationIdParams = T.Object({ id: T.String({ pattern: '^[0-9]{1,18}$' }) });
export type AnnotationBody = Static<typeof AnnotationBodySchema>;
