import { finishSweep, startSweep, sweepBatch, type BatchOutput, type SweepOutcome } from '../../shared/sweep/fanout.ts';
import { loadSweepConfig } from '../../shared/sweep/config.ts';
import { parseSweepInput } from '../../shared/sweep/input.ts';
import { lambdaHandler, type InvocationContext } from '../../shared/lambda/handler.ts';
import { logger } from '../../shared/lambda/logger.ts';

/**
 * The scheduled compliance sweep. EventBridge Scheduler invokes it with `{"phase":"start"}`; SweepStateMachine
 * invokes it with `batch` and `finish` when the sweep fans out. Any other payload is an InvalidEvent: the
 * invocation fails (and lands in the DLQ) before any AWS call.
 */
export async function onSweep(event: unknown, { config }: InvocationContext): Promise<SweepOutcome | BatchOutput> {
  const input = parseSweepInput(event);
  const deps = { config, sweep: loadSweepConfig(), log: (message: string, data?: Record<string, unknown>, level: 'debug' | 'info' | 'warn' = 'info') => logger[level](message, data ?? {}) };
  if (input.phase === 'batch') return sweepBatch(input, deps);
  if (input.phase === 'finish') return finishSweep({ ...input, items: input.items ?? [] }, deps);
  return startSweep(deps);
}

export const handler = lambdaHandler('sweep', onSweep);
