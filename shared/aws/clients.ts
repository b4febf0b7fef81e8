import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { callLog, isMutating } from './calls.ts';

/** Services whose mutating calls change the customer's resources: blocked outright in dry-run. */
const GUARDED_SERVICES = new Set(['EC2', 'EKS', 'AutoScaling', 'ElasticLoadBalancingV2', 'IAM']);

interface Middlewared {
  middlewareStack: { add: (mw: never, opts: { step: 'initialize'; name: string }) => void };
}

/** Every call is counted; in dry-run a write to a customer resource is refused before it leaves the process. */
function instrument<T extends Middlewared>(client: T, service: string): T {
  const middleware = (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
    const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
    if (GUARDED_SERVICES.has(service) && isMutating(operation) && dryRunGuard.active) {
      throw new Error(`dry-run guard: refused ${service}.${operation}`);
    }
    callLog.record(service, operation);
    return next(args);
  };
  client.middlewareStack.add(middleware as never, { step: 'initialize', name: 'guardrailsCallCounter' });
  return client;
}

/** Set by the engine for dry-run invocations; a second line of defence behind the planner. */
export const dryRunGuard = { active: false };

function baseConfig() {
  return { region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1' };
}

// Created once per container (module scope), lazily so a function only pays for the clients it uses.
let ec2: EC2Client | undefined;
let eks: EKSClient | undefined;
let autoscaling: AutoScalingClient | undefined;
let elbv2: ElasticLoadBalancingV2Client | undefined;
let eventbridge: EventBridgeClient | undefined;
let sqs: SQSClient | undefined;
let secretsManager: SecretsManagerClient | undefined;
let dynamodb: DynamoDBClient | undefined;
let sns: SNSClient | undefined;

export const clients = {
  get ec2() { return (ec2 ??= instrument(new EC2Client(baseConfig()), 'EC2')); },
  get eks() { return (eks ??= instrument(new EKSClient(baseConfig()), 'EKS')); },
  get autoscaling() { return (autoscaling ??= instrument(new AutoScalingClient(baseConfig()), 'AutoScaling')); },
  get elbv2() { return (elbv2 ??= instrument(new ElasticLoadBalancingV2Client(baseConfig()), 'ElasticLoadBalancingV2')); },
  get eventbridge() { return (eventbridge ??= instrument(new EventBridgeClient(baseConfig()), 'EventBridge')); },
  get sqs() { return (sqs ??= instrument(new SQSClient(baseConfig()), 'SQS')); },
  get secretsManager() { return (secretsManager ??= instrument(new SecretsManagerClient(baseConfig()), 'SecretsManager')); },
  get dynamodb() { return (dynamodb ??= instrument(new DynamoDBClient(baseConfig()), 'DynamoDB')); },
  get sns() { return (sns ??= instrument(new SNSClient(baseConfig()), 'SNS')); },
};

/** Lets the CLI and tests point at another endpoint or region: the next access builds fresh clients. */
export function resetClients(): void {
  ec2 = eks = autoscaling = elbv2 = eventbridge = sqs = undefined;
  secretsManager = dynamodb = sns = undefined;
}

export { instrument as instrumentClient };
