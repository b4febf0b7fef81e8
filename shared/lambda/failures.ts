import { GuardrailsError } from '../errors.ts';
import { ContainerCache } from '../state/cache.ts';

export interface RecordFailure {
  messageId: string;
  error: string;
  message: string;
}

/**
 * Why each failed SQS record failed, by message id, kept for the container's life so `eks-guardrails invoke`
 * can end with the record and its error rather than a bare count. Bounded: only the latest 100 are kept.
 */
const recordFailures = new ContainerCache<string, RecordFailure>({ name: 'SQS record failures', maxEntries: 100 });

export function noteRecordFailure(messageId: string, err: unknown): void {
  const error = err instanceof GuardrailsError ? err.code : (err as Error)?.name ?? 'Error';
  const message = (err as Error)?.message ?? String(err);
  recordFailures.set(messageId, { messageId, error, message });
}

export function recordFailure(messageId: string): RecordFailure | undefined {
  return recordFailures.get(messageId);
}
