import type { ActionResult } from '../types/index.ts';
import { classifyError, errorCode } from '../aws/errors.ts';
import { executorFor } from './executors.ts';
import type { PlannedAction } from './plan.ts';

/**
 * Runs executable actions one by one (they usually touch one resource; order matters less than not
 * racing ourselves). Throttling and other transient errors propagate so the invocation is retried and
 * ends in the DLQ; a permanent error fails that action only and is reported.
 */
export async function apply(planned: readonly PlannedAction[]): Promise<ActionResult[]> {
  const results: ActionResult[] = [];
  for (const { action, executable, reason } of planned) {
    if (!executable) {
      results.push({ action, status: 'planned', reason });
      continue;
    }
    const executor = executorFor(action);
    if (!executor) {
      results.push({ action, status: 'failed', reason: `no executor for ${action.kind}` });
      continue;
    }
    try {
      const outcome = await executor(action);
      results.push(outcome === 'applied' ? { action, status: 'applied' } : { action, status: 'skipped', reason: 'already in the desired state' });
    } catch (err) {
      if (classifyError(err) === 'retryable') throw err;
      results.push({ action, status: 'failed', reason: `${errorCode(err)}: ${(err as Error).message}` });
    }
  }
  return results;
}
