import { GuardrailsError } from '../errors.ts';
import { systemClock, type Clock } from './clock.ts';
import { logger } from '../lambda/logger.ts';
import type { SlackRetryReason } from '../metrics/catalog.ts';
import { tally } from '../metrics/tally.ts';
import type { SlackMessage } from './blocks.ts';

/**
 * Why a post failed, in words that never include the webhook URL. `retryable` decides where the
 * event goes: back to the queue (429 beyond our time, 5xx, timeouts) or straight to the DLQ (other 4xx).
 */
export class SlackDeliveryError extends GuardrailsError {
  readonly retryable: boolean;
  readonly status?: number;
  /** How long Slack (or its outage) asks us to hold off before the next post. */
  readonly holdOffMs?: number;
  constructor(code: string, message: string, options: { retryable: boolean; status?: number; attempts: number; slackError?: string; holdOffMs?: number }) {
    super(code, message, { retryable: options.retryable, attempts: options.attempts, ...(options.status ? { status: options.status } : {}), ...(options.slackError ? { slackError: options.slackError } : {}) });
    this.retryable = options.retryable;
    this.status = options.status;
    this.holdOffMs = options.holdOffMs;
  }
}

export interface PostOptions {
  /** Time left in this invocation; no wait or request may run past it (minus `marginMs`). */
  remainingMs: () => number;
  /** One request's timeout. */
  timeoutMs?: number;
  /** Attempts for 5xx and timeouts (429s are bounded by time, not count). */
  maxAttempts?: number;
  /** First backoff after a 5xx/timeout; doubles each time. */
  backoffMs?: number;
  /** Kept free at the end of the invocation to report the failure instead of timing out. */
  marginMs?: number;
  /** Retry-After waits and backoffs sleep on it (and an HTTP-date Retry-After is read against it). */
  clock?: Clock;
}

export interface PostResult {
  status: number;
  attempts: number;
  /** Time spent waiting for Retry-After and backoffs. */
  waitedMs: number;
}

const MAX_RATE_LIMITED = 20;
/** After retries ran out on an outage, the following events don't hammer Slack for this long. */
const OUTAGE_HOLD_OFF_MS = 30_000;

/** POSTs one message to an incoming webhook, retrying what Slack asks us to retry. */
export async function postToSlack(webhook: URL, message: SlackMessage, options: PostOptions): Promise<PostResult> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxAttempts = options.maxAttempts ?? 4;
  const backoffMs = options.backoffMs ?? 500;
  const marginMs = options.marginMs ?? 1000;
  const clock = options.clock ?? systemClock;
  const body = JSON.stringify(message);
  let attempts = 0;
  let failures = 0;
  let rateLimited = 0;
  let waitedMs = 0;

  const fail = (code: string, text: string, retryable: boolean, status?: number, slackError?: string, holdOffMs?: number): never => {
    throw new SlackDeliveryError(code, text, { retryable, status, attempts, slackError, holdOffMs });
  };
  /** Waits `ms` before the next attempt (counted as a retry), unless that runs past this invocation. */
  const wait = async (ms: number, why: string, retry: SlackRetryReason): Promise<void> => {
    if (ms + timeoutMs + marginMs > options.remainingMs()) {
      const limited = retry === 'rate-limited';
      fail(limited ? 'SlackRateLimited' : 'SlackUnavailable',
        `Slack ${limited ? `rate-limited the webhook (429); Retry-After ${Math.ceil(ms / 1000)} s` : `kept failing (${why}); the next retry`} is beyond this invocation's remaining time: the event will be retried`, true, limited ? 429 : undefined, undefined, ms);
    }
    waitedMs += ms;
    await clock.sleep(ms);
    tally.count('SlackRetries', 1, retry);
  };
  /** A network failure or a 5xx: exponential backoff for `maxAttempts`, then the following posts hold off too. */
  const backOff = async (why: string, retry: SlackRetryReason, exhausted: string, status?: number): Promise<void> => {
    failures++;
    if (failures >= maxAttempts) fail('SlackUnavailable', `${exhausted}: the event will be retried`, true, status, undefined, OUTAGE_HOLD_OFF_MS);
    await wait(backoffMs * 2 ** (failures - 1), why, retry);
  };

  for (;;) {
    if (timeoutMs + marginMs > options.remainingMs()) fail('SlackNoTimeLeft', 'not enough time left in this invocation to post to Slack: the event will be retried', true);
    attempts++;
    let res: Response;
    try {
      res = await fetch(webhook, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      // Never pass fetch's own error on: name the failure, not the address.
      const reason = networkReason(err);
      logger.warn('slack post failed, will retry', { reason, attempt: attempts });
      await backOff(reason, 'network', `Slack webhook unreachable after ${attempts} attempts (${reason})`);
      continue;
    }
    const text = await res.text().catch(() => '');
    logger.debug('slack answered', { status: res.status, attempt: attempts, bytes: body.length });
    if (res.ok) return { status: res.status, attempts, waitedMs };
    if (res.status === 429) {
      rateLimited++;
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), clock.now());
      logger.info('slack rate-limited, waiting as told', { status: 429, retryAfterMs, attempt: attempts });
      if (rateLimited > MAX_RATE_LIMITED) fail('SlackRateLimited', `Slack answered 429 ${rateLimited} times in a row: the event will be retried`, true, 429);
      await wait(retryAfterMs, 'rate-limited', 'rate-limited');
      continue;
    }
    const slackError = slackErrorCode(text, webhook);
    if (res.status >= 500) {
      logger.warn('slack server error, will retry', { status: res.status, attempt: attempts });
      await backOff(`HTTP ${res.status}`, 'server-error', `Slack answered HTTP ${res.status} ${attempts} times`, res.status);
      continue;
    }
    // 400 invalid_payload, 403 invalid_token/action_prohibited, 404 no_service, 410 channel_is_archived…:
    // retrying cannot help; the operator must fix the webhook (or the message).
    fail('SlackRejected', `Slack rejected the message with HTTP ${res.status}${slackError ? ` (${slackError})` : ''}; check the webhook in the secret — the event goes to the dead-letter queue`, false, res.status, slackError);
  }
}

/** Seconds (Slack's form) or an HTTP date; missing or unreadable → 1 s. */
export function parseRetryAfter(header: string | null, now = Date.now()): number {
  if (!header) return 1000;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - now) : 1000;
}

/** Slack answers errors with a short code (`no_service`, `invalid_payload`); anything else is dropped. */
function slackErrorCode(text: string, webhook: URL): string | undefined {
  const code = text.trim().slice(0, 80);
  if (!/^[a-z_]+$/.test(code)) return undefined;
  return code.includes(webhook.pathname) ? undefined : code;
}

function networkReason(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string; name?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout';
  const code = e?.cause?.code ?? e?.cause?.name;
  return typeof code === 'string' && /^[A-Z_a-z]+$/.test(code) ? code : 'network error';
}
