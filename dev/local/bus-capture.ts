import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { MotoServer } from './moto.ts';

export interface CapturedEvent {
  'detail-type': string;
  source: string;
  detail: Record<string, unknown>;
}

export interface BusCapture {
  busName: string;
  drain(): Promise<CapturedEvent[]>;
}

/**
 * Creates the project's bus in moto with a rule for everything eks-guardrails publishes into a queue;
 * `drain()` returns what was published since the last drain (the demo shows it, tests assert on it).
 */
export async function captureBus(moto: MotoServer, busName = 'eks-guardrails-test-bus'): Promise<BusCapture> {
  const config = moto.clientConfig();
  const events = new EventBridgeClient(config);
  const sqs = new SQSClient(config);
  await events.send(new CreateEventBusCommand({ Name: busName }));
  const queue = await sqs.send(new CreateQueueCommand({ QueueName: `${busName}-capture` }));
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await events.send(new PutRuleCommand({ Name: 'capture', EventBusName: busName, EventPattern: JSON.stringify({ source: ['eks-guardrails'] }) }));
  await events.send(new PutTargetsCommand({ Rule: 'capture', EventBusName: busName, Targets: [{ Id: 'q', Arn: arn }] }));
  return {
    busName,
    async drain(): Promise<CapturedEvent[]> {
      const out: CapturedEvent[] = [];
      for (;;) {
        const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.QueueUrl, MaxNumberOfMessages: 10 }));
        if (!r.Messages?.length) return out;
        out.push(...r.Messages.map((m) => JSON.parse(m.Body!) as CapturedEvent));
        // Deleted once read: a later drain returns only what was published since, however long a test takes
        // (left in the queue, they would come back after the visibility timeout).
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queue.QueueUrl, Entries: r.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
      }
    },
  };
}
