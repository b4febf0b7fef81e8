import { finishSweep, runBatch, startSweep, type BatchEvent, type BatchOutput, type FinishEvent, type SweepOutcome } from '../../shared/sweep/fanout.ts';
import { loadSweepConfig } from '../../shared/sweep/config.ts';
import { InvalidEventError } from '../../shared/errors.ts';
import { lambdaHandler, type InvocationContext } from '../../shared/lambda/handler.ts';
import { logger } from '../../shared/lambda/logger.ts';

/**
 * The scheduled compliance sweep. EventBridge Scheduler invokes it with `{"phase":"start"}` (any event
 * without a phase is a start: `invoke sweep` and a console test work too); SweepStateMachine invokes
 * it with `batch` and `finish` when the sweep fans out.
 */
export async function onSweep(event: unknown, { config }: InvocationContext): Promise<SweepOutcome | BatchOutput> {
  const deps = { config, sweep: loadSweepConfig(), log: (message: string, data?: Record<string, unknown>, level: 'debug' | 'info' | 'warn' = 'info') => logger[level](message, data ?? {}) };
  const phase = (event as { phase?: unknown } | null)?.phase;
  if (phase === undefined || phase === 'start') return startSweep(deps);
  if (phase === 'batch') {
    const e = event as BatchEvent;
    if (!e.sweepId || !Number.isInteger(e.index) || !e.item?.scope?.region || !Array.isArray(e.item.clusters)) throw new InvalidEventError('batch event needs sweepId, index and item {scope, clusters}');
    // The start phase stored the share under the sweep's own prefix: nothing else of the bucket is read as hints.
    if (e.item.hintsKey !== undefined && (typeof e.item.hintsKey !== 'string' || !e.item.hintsKey.startsWith(`partials/${e.sweepId}/`))) throw new InvalidEventError('batch item hintsKey must be a key under partials/<sweepId>/');
    return runBatch(e, deps);
  }
  if (phase === 'finish') {
    const e = event as FinishEvent;
    if (!e.sweepId || !e.startedAt || !Array.isArray(e.partials)) throw new InvalidEventError('finish event needs sweepId, startedAt and partials');
    return finishSweep({ ...e, items: e.items ?? [] }, deps);
  }
  throw new InvalidEventError(`unknown sweep phase "${String(phase)}"`);
}

export const handler = lambdaHandler('sweep', onSweep);
