import type { GuardrailsConfig } from '../types/index.ts';
import { putEvents } from '../aws/eventbridge.ts';
import { toBusEvents } from '../events/result-events.ts';
import type { ReconcileResult } from './result.ts';

/** Puts one event per finding on the project's bus (when one is configured). */
export async function publish(result: ReconcileResult, config: GuardrailsConfig): Promise<number> {
  if (!config.eventBus) return 0;
  const events = toBusEvents(result, config);
  if (events.length === 0) return 0;
  const { published } = await putEvents(config.eventBus, events);
  return published;
}
