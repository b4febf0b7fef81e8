import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { sdkClients } from '../../../shared/aws/client.ts';
import { MotoServer } from '../../local/moto.ts';
import { LocalRouter, type RoutedEvent } from '../../local/router.ts';
import { loadTemplate, selfRoleArns } from '../../local/template.ts';
import { invokeFunction } from '../invoke.ts';
import { withStdoutOnStderr } from '../output.ts';

export const DEMO_BUS = 'eks-guardrails-bus';

/** A local account with the template's rules in place, the project's bus, and a queue that records what was published. */
export class DemoContext {
  readonly moto: MotoServer;
  readonly router: LocalRouter;
  private readonly sqs: SQSClient;
  private readonly resultsQueueUrl: string;

  private constructor(moto: MotoServer, router: LocalRouter, sqs: SQSClient, resultsQueueUrl: string) {
    this.moto = moto;
    this.router = router;
    this.sqs = sqs;
    this.resultsQueueUrl = resultsQueueUrl;
  }

  static async start(): Promise<DemoContext> {
    const moto = await MotoServer.start();
    const template = loadTemplate();
    Object.assign(process.env, moto.env(), {
      GUARDRAILS_MODE: 'enforce',
      GUARDRAILS_EVENT_BUS: DEMO_BUS,
      GUARDRAILS_SELF_ROLE_ARN: selfRoleArns(template).join(','),
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
      // The functions' EMF metric lines would bury the demo's story; `invoke` shows them.
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    });
    sdkClients.clear();
    const config = moto.clientConfig();
    const events = new EventBridgeClient(config);
    const sqs = new SQSClient(config);
    await events.send(new CreateEventBusCommand({ Name: DEMO_BUS }));
    const router = await LocalRouter.fromTemplate(moto, { template, busName: DEMO_BUS });
    // Everything eks-guardrails publishes, captured so the demo can show it.
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: 'demo-published-results' }));
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    await events.send(new PutRuleCommand({ Name: 'demo-all-results', EventBusName: DEMO_BUS, EventPattern: JSON.stringify({ source: ['eks-guardrails'] }) }));
    await events.send(new PutTargetsCommand({ Rule: 'demo-all-results', EventBusName: DEMO_BUS, Targets: [{ Id: 'q', Arn: arn }] }));
    return new DemoContext(moto, router, sqs, queue.QueueUrl!);
  }

  /** Sends CloudTrail-shaped events through the template's rules and runs each function they reach, as Lambda would. */
  async deliver(events: Record<string, unknown>[]): Promise<{ routed: RoutedEvent; result?: unknown; error?: string }[]> {
    const routed = await this.router.route(events);
    const out: { routed: RoutedEvent; result?: unknown; error?: string }[] = [];
    for (const r of routed) {
      try {
        out.push({ routed: r, result: await withStdoutOnStderr(() => invokeFunction(r.functionName, r.event)) });
      } catch (err) {
        out.push({ routed: r, error: (err as Error).message });
      }
    }
    return out;
  }

  /** Result events published on the project's bus since the last call. */
  async published(): Promise<{ 'detail-type': string; detail: Record<string, unknown> }[]> {
    const all: { 'detail-type': string; detail: Record<string, unknown> }[] = [];
    for (;;) {
      const out = await this.sqs.send(new ReceiveMessageCommand({ QueueUrl: this.resultsQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      const messages = out.Messages ?? [];
      if (messages.length === 0) return all;
      all.push(...messages.map((m) => JSON.parse(m.Body!)));
      await this.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: this.resultsQueueUrl, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
  }

  async stop(): Promise<void> {
    await this.moto.stop();
  }
}
