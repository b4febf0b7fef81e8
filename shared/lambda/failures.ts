import { GuardrailsError } from '../errors.ts';

/**
 * Why each failed SQS record failed, per container, so `eks-guardrails invoke` can end with the record and
 * its error rather than a bare count. Bounded: only the latest records are kept.
 */
export interface RecordFailure {
  messageId: string;
  error: string;
  message: string;
}

const MAX = 100;
const failures = new Map<string, RecordFailure>();

export function noteRecordFailure(messageId: string, err: unknown): void {
  const error = err instanceof GuardrailsError ? err.code : (err as Error)?.name ?? 'Error';
  const message = (err as Error)?.message ?? String(err);
  failures.delete(messageId);
  failures.set(messageId, { messageId, error, message });
  while (failures.size > MAX) failures.delete(failures.keys().next().value!);
}

export function recordFailure(messageId: string): RecordFailure | undefined {
  return failures.get(messageId);
}
