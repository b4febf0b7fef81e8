import { CreateEventBusCommand, EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { MotoServer } from './moto.ts';
import { functionRules, loadTemplate, resolveIntrinsics, type TemplateDocument } from './template.ts';

export interface RoutedEvent {
  functionName: string;
  ruleName: string;
  event: Record<string, unknown>;
}

/**
 * The template's EventBridge rules, created in moto with an SQS queue as each rule's target, so that
 * moto's real pattern engine decides which function an event reaches (TestEventPattern is a stub there).
 */
export class LocalRouter {
  private readonly events: EventBridgeClient;
  private readonly sqs: SQSClient;
  private readonly queues: { functionName: string; ruleName: string; url: string; bus: string }[] = [];
  readonly account: string;
  /** The project's custom bus, where rules with an `EventBusName` listen. */
  busName = 'eks-guardrails-bus';

  private constructor(moto: MotoServer, account: string, region: string) {
    const config = moto.clientConfig(region);
    this.events = new EventBridgeClient(config);
    this.sqs = new SQSClient(config);
    this.account = account;
  }

  static async fromTemplate(moto: MotoServer, options: { template?: TemplateDocument; account?: string; region?: string; busName?: string } = {}): Promise<LocalRouter> {
    const template = options.template ?? loadTemplate();
    const router = new LocalRouter(moto, options.account ?? '123456789012', options.region ?? 'us-east-1');
    router.busName = options.busName ?? 'eks-guardrails-bus';
    // The project's own bus (results, notify's input); it may exist already (the demo creates it).
    await router.events.send(new CreateEventBusCommand({ Name: router.busName })).catch(() => undefined);
    for (const rule of functionRules(template)) {
      const bus = rule.eventBus === undefined ? 'default' : router.busName;
      const pattern = resolveIntrinsics(rule.pattern, template, router.account, options.region);
      const name = `local-${rule.ruleName}`.slice(0, 64);
      const queue = await router.sqs.send(new CreateQueueCommand({ QueueName: name.slice(0, 80) }));
      const attrs = await router.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }));
      await router.events.send(new PutRuleCommand({ Name: name, EventBusName: bus, EventPattern: JSON.stringify(pattern) }));
      await router.events.send(new PutTargetsCommand({ Rule: name, EventBusName: bus, Targets: [{ Id: 'queue', Arn: attrs.Attributes!.QueueArn! }] }));
      router.queues.push({ functionName: rule.functionName, ruleName: rule.ruleName, url: queue.QueueUrl!, bus });
    }
    return router;
  }

  /**
   * Puts events on a bus (as AWS would deliver them) and returns every (function, event) a rule routed.
   * Without `bus`, our own events (source eks-guardrails) go on the project's bus, the rest on the default one.
   * Only the rules of the buses used are drained: what our functions publish meanwhile on the project's
   * bus stays queued for whoever reads it (the demo's Slack scenario, a test) with `drain()`.
   */
  async route(events: Record<string, unknown>[], bus?: string): Promise<RoutedEvent[]> {
    const busOf = (e: Record<string, unknown>) => bus ?? (e.source === 'eks-guardrails' ? this.busName : 'default');
    for (let i = 0; i < events.length; i += 10) {
      await this.events.send(new PutEventsCommand({
        Entries: events.slice(i, i + 10).map((e) => ({
          EventBusName: busOf(e),
          Source: e.source as string,
          DetailType: e['detail-type'] as string,
          Detail: JSON.stringify(e.detail ?? {}),
          Resources: (e.resources as string[] | undefined) ?? [],
          Time: e.time ? new Date(e.time as string) : undefined,
        })),
      }));
    }
    return this.drain(new Set(events.map(busOf)));
  }

  /**
   * Everything the rules' queues hold now (of the given buses; all by default).
   * moto drops `account` on delivery: we put it back, as AWS sets it.
   */
  async drain(buses?: ReadonlySet<string>): Promise<RoutedEvent[]> {
    const routed: RoutedEvent[] = [];
    for (const q of this.queues) {
      if (buses && !buses.has(q.bus)) continue;
      for (;;) {
        const out = await this.sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        const messages = out.Messages ?? [];
        if (messages.length === 0) break;
        for (const m of messages) {
          const event = JSON.parse(m.Body!) as Record<string, unknown>;
          event.account ??= this.account;
          routed.push({ functionName: q.functionName, ruleName: q.ruleName, event });
        }
        await this.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: q.url, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
      }
    }
    return routed;
  }
}
