import type { ActionResult, Finding, RunMode, Trigger } from '../types/index.ts';

export type ReconcileStatus = 'reconciled' | 'cluster-not-found' | 'cluster-gone';

/** What one reconcile of one cluster did: the handler's result, the CLI's output, the source of bus events. */
export interface ReconcileResult {
  cluster: { name: string; arn?: string };
  account: string;
  region: string;
  mode: RunMode;
  status: ReconcileStatus;
  reason?: string;
  trigger: Trigger;
  checks: string[];
  findings: Finding[];
  actions: ActionResult[];
  /** Checks' facts by check name (the sweep report shows them; never put on the bus). */
  facts?: Record<string, Record<string, unknown>>;
  /** Result events put on the bus. */
  published: number;
}
