import type { IgnoreReason } from './catalog.ts';

/**
 * The handlers' "ignored" reasons are sentences naming things (an error code, a node group, an NLB); a metric
 * dimension must not (each value is a billed metric). This maps each sentence to its kind; anything not listed
 * counts as `other`, so a new sentence can never widen the dimension.
 */
const KINDS: readonly [RegExp, IgnoreReason][] = [
  [/^our own change$/, 'own-change'],
  [/^failed call \(/, 'failed-call'],
  [/^security group not found$/, 'group-not-found'],
  [/^no cluster owns the security group$/, 'not-cluster-group'],
  [/^not a Kubernetes-named NLB$/, 'not-kubernetes-nlb'],
  [/^no cluster security group holds rules of /, 'no-nlb-rules'],
  [/^node group \S+ not found$/, 'nodegroup-not-found'],
  [/^node group \S+ is [A-Z_]+$/, 'nodegroup-gone'],
  [/^cluster \S+ is [A-Z_]+$/, 'cluster-not-ready'],
  [/^verified \d+ s ago$/, 'recently-verified'],
  [/^Auto Scaling group not found/, 'asg-not-found'],
  [/^no tie to any EKS cluster/, 'not-cluster-asg'],
  [/^already processed/, 'already-processed'],
  [/^severity \w+ is below \w+$/, 'below-min-severity'],
];

export function ignoreReason(sentence: string): IgnoreReason {
  return KINDS.find(([pattern]) => pattern.test(sentence))?.[1] ?? 'other';
}

/** A flow's result that says it left its event alone: `{ status: 'ignored' | 'skipped', reason }`. */
export function ignoredReasonOf(result: unknown): string | undefined {
  const r = result as { status?: unknown; reason?: unknown } | null | undefined;
  return (r?.status === 'ignored' || r?.status === 'skipped') && typeof r.reason === 'string' ? r.reason : undefined;
}
