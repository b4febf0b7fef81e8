import * as z from 'zod/mini';
import { InvalidEventError } from '../errors.ts';
import { partialsPrefix, type BatchEvent, type FinishEvent, type StartEvent } from './fanout.ts';

/**
 * Everything the sweep function accepts, in one place: EventBridge Scheduler's input (template.yaml,
 * ScheduleV2 `Input`) and SweepStateMachine's two Lambda payloads (Map `ItemSelector`, `Finish`
 * `Parameters`). Strict objects: a payload meant for another function — `{}`, a CloudTrail event — must
 * never start an enforcing sweep of the account.
 */
const region = z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'a region name such as us-east-1'));
const nonEmpty = z.string().check(z.minLength(1));
const workItem = z.strictObject({
  scope: z.strictObject({ region, roleArn: z.optional(nonEmpty), externalId: z.optional(nonEmpty) }),
  clusters: z.array(nonEmpty).check(z.minLength(1)),
  // The start phase's share of its prefetch for this batch (S3 key); sweepBatch accepts only keys under
  // partials/<sweepId>/ so nothing else of the bucket is read as hints.
  hintsKey: z.optional(nonEmpty),
});
const index = z.int().check(z.gte(0));
const count = z.int().check(z.gte(0));

const startSchema = z.strictObject({
  phase: z.literal('start'),
  source: z.optional(z.literal('eks-guardrails.schedule')),
});
const batchSchema = z.strictObject({ phase: z.literal('batch'), sweepId: nonEmpty, index, item: workItem });
const finishSchema = z.strictObject({
  phase: z.literal('finish'),
  sweepId: nonEmpty,
  startedAt: z.iso.datetime(),
  items: z.optional(z.array(workItem)),
  partials: z.array(z.union([
    z.strictObject({ index, key: nonEmpty, clusters: z.int().check(z.gte(0)) }),
    // The Map's Catch (ResultPath $.error) → BatchFailed Pass state: Step Functions' {Error, Cause}.
    z.strictObject({ failed: z.literal(true), index, item: z.optional(workItem), error: z.optional(z.looseObject({ Error: z.optional(z.string()), Cause: z.optional(z.string()) })) }),
  ])),
  // What the start phase saw and spent: scopes without a work item, and its AWS calls (added to the report).
  scopes: z.optional(z.array(z.strictObject({ account: nonEmpty, region, error: z.optional(z.string()) }))),
  calls: z.optional(z.strictObject({ total: count, mutating: count, byOperation: z.record(z.string(), count) })),
});

const PHASES = { start: startSchema, batch: batchSchema, finish: finishSchema } as const;
export const SWEEP_INPUT_FORMS = '{"phase":"start"} (the schedule), {"phase":"batch",…} or {"phase":"finish",…} (SweepStateMachine)';

export type SweepInput = StartEvent | BatchEvent | FinishEvent;

/** The sweep's input, or InvalidEventError naming each wrong field; no other shape does any work. */
export function parseSweepInput(event: unknown): SweepInput {
  const phase = (event as { phase?: unknown } | null)?.phase;
  if (typeof event !== 'object' || event === null || Array.isArray(event) || typeof phase !== 'string' || !Object.hasOwn(PHASES, phase)) {
    const got = typeof event === 'object' && event !== null && !Array.isArray(event)
      ? `an object with ${phase === undefined ? 'no "phase"' : `phase ${JSON.stringify(phase)}`} (keys: ${Object.keys(event).slice(0, 10).join(', ') || 'none'})`
      : Array.isArray(event) ? 'an array' : typeof event;
    throw new InvalidEventError(`the sweep function accepts only ${SWEEP_INPUT_FORMS}; got ${got}: nothing was swept`);
  }
  const parsed = PHASES[phase as keyof typeof PHASES].safeParse(event);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: describeIssue(i) }));
    throw new InvalidEventError(`sweep "${phase}" input: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}: nothing was swept`, issues);
  }
  const input = parsed.data as SweepInput;
  // A batch reads hints only from its own sweep's prefix, where the start phase stored its share: nothing
  // else of the bucket (another sweep's share, a report) is ever taken for this batch's account inventory.
  if (input.phase === 'batch' && input.item.hintsKey !== undefined && !input.item.hintsKey.startsWith(partialsPrefix(input.sweepId))) {
    const message = `must be a key under ${partialsPrefix(input.sweepId)}`;
    throw new InvalidEventError(`sweep "batch" input: item.hintsKey: ${message}: nothing was swept`, [{ path: 'item.hintsKey', message }]);
  }
  return input;
}

/** zod/mini ships no message locale ("Invalid input"): say what was expected, in words. */
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys': return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_type': return `expected ${issue.expected}`;
    case 'invalid_value': return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'too_small': return `expected at least ${String(issue.minimum)}${issue.origin === 'array' ? ' item(s)' : issue.origin === 'string' ? ' character(s)' : ''}`;
    default: return issue.message;
  }
}
