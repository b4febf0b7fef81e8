import { DescribeEventBusCommand, EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { lazyClient } from './client.ts';

export const eventBridgeClient = lazyClient('EventBridge', (config) => new EventBridgeClient(config));

export interface BusEvent {
  detailType: string;
  detail: object;
  resources?: string[];
}

export const EVENT_SOURCE = 'eks-guardrails';

/** Fails (ResourceNotFoundException, AccessDenied…) unless the bus, by name or ARN, exists for these credentials. */
export async function describeEventBus(bus: string): Promise<void> {
  await eventBridgeClient().send(new DescribeEventBusCommand({ Name: bus }));
}

/** PutEvents takes 10 entries and 256 KB a call; failed entries are retried once, then reported. */
export async function putEvents(bus: string, events: BusEvent[]): Promise<{ published: number; failed: number }> {
  let published = 0;
  let failed = 0;
  for (let i = 0; i < events.length; i += 10) {
    let entries: PutEventsRequestEntry[] = events.slice(i, i + 10).map((e) => ({
      EventBusName: bus,
      Source: EVENT_SOURCE,
      DetailType: e.detailType,
      Detail: JSON.stringify(e.detail),
      Resources: e.resources,
    }));
    for (let attempt = 0; attempt < 2 && entries.length > 0; attempt++) {
      const out = await eventBridgeClient().send(new PutEventsCommand({ Entries: entries }));
      const results = out.Entries ?? [];
      const retry = entries.filter((_, idx) => results[idx]?.ErrorCode);
      published += entries.length - retry.length;
      entries = retry;
    }
    failed += entries.length;
  }
  if (failed > 0) throw new Error(`EventBridge rejected ${failed} of ${events.length} result events`);
  return { published, failed };
}
