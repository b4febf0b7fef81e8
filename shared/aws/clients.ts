import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
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
let servicequotas: ServiceQuotasClient | undefined;

export const clients = {
  get ec2() { return (ec2 ??= instrument(new EC2Client(baseConfig()), 'EC2')); },
  get eks() { return (eks ??= instrument(new EKSClient(baseConfig()), 'EKS')); },
  get autoscaling() { return (autoscaling ??= instrument(new AutoScalingClient(baseConfig()), 'AutoScaling')); },
  get elbv2() { return (elbv2 ??= instrument(new ElasticLoadBalancingV2Client(baseConfig()), 'ElasticLoadBalancingV2')); },
  get eventbridge() { return (eventbridge ??= instrument(new EventBridgeClient(baseConfig()), 'EventBridge')); },
  get sqs() { return (sqs ??= instrument(new SQSClient(baseConfig()), 'SQS')); },
  get servicequotas() { return (servicequotas ??= instrument(new ServiceQuotasClient(baseConfig()), 'ServiceQuotas')); },
};

/** Lets the CLI and tests point at another endpoint or region: the next access builds fresh clients. */
export function resetClients(): void {
  ec2 = eks = autoscaling = elbv2 = eventbridge = sqs = undefined;
  servicequotas = undefined;
}

export { instrument as instrumentClient };
