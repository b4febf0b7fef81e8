import { sendDelayed } from '../aws/sqs.ts';
import { publishJson } from '../aws/sns.ts';
import { ConfigError, GuardrailsError, InvalidEventError } from '../errors.ts';
import type { InvocationContext } from '../lambda/handler.ts';
import { logger } from '../lambda/logger.ts';
import { tally } from '../metrics/tally.ts';
import { SEVERITIES, type NotifyConfig, type Severity } from '../types/index.ts';
import { toChatbotNotification } from './chatbot.ts';
import { deliverOncePerEvent } from './deliver-once.ts';
import type { SlackMessage } from './blocks.ts';
import { renderMessage } from './render.ts';
import { parseNotifyEvent, type NotifyEvent } from './schema.ts';
import { postToSlack, SlackDeliveryError } from './slack.ts';
import { slackPacing } from './slack-pacing.ts';
import { webhookUrl, webhookUrls } from './webhook.ts';

export interface ChannelOutcome { channel: 'slack' | 'chatbot'; delivered: 'now' | 'already'; attempts?: number; waitedMs?: number }

export interface NotifyResult {
  status: 'posted' | 'skipped' | 'dead-lettered';
  eventId?: string;
  kind?: NotifyEvent['kind'];
  reason?: string;
  channels?: ChannelOutcome[];
  error?: Record<string, unknown>;
}

const FALLBACK_REMAINING_MS = 60_000;
const DEAD_LETTER_SOURCE = 'eks-guardrails/notify';

function isDeadLetter(input: unknown): input is { event: unknown } {
  return (input as { source?: unknown })?.source === DEAD_LETTER_SOURCE && typeof (input as { event?: unknown }).event === 'object';
}

/**
 * One result or sweep event → one Slack message (and/or one Amazon Q Developer notification), at most
 * once per event id, paced. Events that can never be delivered (invalid, or a webhook Slack rejects)
 * go to the dead-letter queue with a structured error; everything else that fails is thrown, so the
 * queue retries it.
 */
export async function notify(input: unknown, ctx: InvocationContext): Promise<NotifyResult> {
  // A message from the dead-letter queue, replayed as it is once its cause is fixed.
  const raw = isDeadLetter(input) ? input.event : input;
  const config = ctx.config.notify;
  if (!config) throw new ConfigError('notify configuration missing');
  let event: NotifyEvent | undefined;
  try {
    event = parseNotifyEvent(raw);
    if (event.kind === 'finding' && below(event.detail.severity, config.minSeverity)) {
      const reason = `severity ${event.detail.severity} is below ${config.minSeverity}`;
      logger.info('skipped', { eventId: event.id, reason });
      return { status: 'skipped', eventId: event.id, kind: event.kind, reason };
    }
    logger.debug('delivering', { eventId: event.id, kind: event.kind, slack: Boolean(config.slackWebhookSecretArn), chatbot: Boolean(config.chatbotTopicArn) });
    const channels = await deliver(event, config, ctx);
    logger.info('notified', { eventId: event.id, kind: event.kind, channels });
    return { status: 'posted', eventId: event.id, kind: event.kind, channels };
  } catch (err) {
    if (!isPermanent(err) || !config.deadLetterQueueUrl) throw err;
    const error = (err as GuardrailsError).toJSON();
    await sendDelayed(config.deadLetterQueueUrl, { source: DEAD_LETTER_SOURCE, error, event: raw }, 0);
    logger.error('dead-lettered', { eventId: event?.id ?? (raw as { id?: unknown })?.id, error });
    return { status: 'dead-lettered', eventId: event?.id, kind: event?.kind, error };
  }
}

async function deliver(event: NotifyEvent, config: NotifyConfig, ctx: InvocationContext): Promise<ChannelOutcome[]> {
  if (!config.slackWebhookSecretArn && !config.chatbotTopicArn) {
    throw new ConfigError('notify has nowhere to post: set SLACK_WEBHOOK_SECRET_ARN and/or GUARDRAILS_CHATBOT_TOPIC_ARN');
  }
  const message = renderMessage(event);
  const remainingMs = () => ctx.lambda?.getRemainingTimeInMillis() ?? FALLBACK_REMAINING_MS;
  const outcomes: ChannelOutcome[] = [];

  if (config.slackWebhookSecretArn) {
    const secretArn = config.slackWebhookSecretArn;
    let posted;
    try {
      posted = await deliverOncePerEvent('slack', config.idempotencyTable, ctx.lambda, event.id, () => postPaced(secretArn, message, config.intervalMs, remainingMs));
    } catch (err) {
      tally.count('SlackPostsFailed', 1, err instanceof GuardrailsError ? err.code : 'Other');
      throw err;
    }
    if (posted.delivered === 'now') tally.count('SlackPosts');
    outcomes.push({ channel: 'slack', delivered: posted.delivered, ...(posted.delivered === 'now' ? posted.result : {}) });
  }

  if (config.chatbotTopicArn) {
    const topicArn = config.chatbotTopicArn;
    const { delivered } = await deliverOncePerEvent('chatbot', config.idempotencyTable, ctx.lambda, event.id,
      async () => ({ messageId: await publishJson(topicArn, toChatbotNotification(event, message)) }));
    outcomes.push({ channel: 'chatbot', delivered });
  }
  return outcomes;
}

/** One Slack post, in its turn: not while Slack asked to hold off, nor when the paced turn comes too late for this invocation. */
async function postPaced(secretArn: string, message: SlackMessage, intervalMs: number, remainingMs: () => number): Promise<{ attempts: number; waitedMs: number }> {
  // After Slack said "wait" (a 429 beyond this invocation, or an outage) the rest of the batch fails fast.
  const holdOff = slackPacing.holdOffLeftMs();
  if (holdOff > 0) throw new SlackDeliveryError('SlackHoldingOff', `Slack asked to hold off for ${Math.ceil(holdOff / 1000)} s more: the event will be retried`, { retryable: true, attempts: 0 });
  const url = await webhookUrl(secretArn);
  const pacer = slackPacing.pacer(intervalMs);
  if (pacer.waitMs() + 1000 > remainingMs()) throw new SlackDeliveryError('SlackNoTimeLeft', 'no time left in this invocation for the next paced post: the event will be retried', { retryable: true, attempts: 0 });
  await pacer.turn();
  try {
    const r = await postToSlack(url, message, { remainingMs, clock: slackPacing.clock });
    return { attempts: r.attempts, waitedMs: r.waitedMs };
  } catch (err) {
    // Revoked URL or deleted channel: the next event re-reads the secret.
    if (err instanceof SlackDeliveryError && !err.retryable) webhookUrls.delete(secretArn);
    if (err instanceof SlackDeliveryError && err.holdOffMs) slackPacing.holdOff(err.holdOffMs);
    throw err;
  } finally {
    pacer.posted();
  }
}

function below(severity: Severity, min: Severity): boolean {
  return SEVERITIES.indexOf(severity) < SEVERITIES.indexOf(min);
}

/** Replaying these cannot help: straight to the dead-letter queue, with the reason. */
function isPermanent(err: unknown): err is GuardrailsError {
  return err instanceof InvalidEventError || (err instanceof SlackDeliveryError && !err.retryable);
}
