/**
 * Compatibility facade: prefer importing the client of the adapter you use (e.g. `ec2Client` from `./ec2.ts`),
 * so a function bundles only what it calls.
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { lazyClient } from './client.ts';
import { ec2Client } from './ec2.ts';
import { eksClient } from './eks.ts';
import { elbv2Client } from './elbv2.ts';
import { eventBridgeClient } from './eventbridge.ts';
import { serviceQuotasClient } from './service-quotas.ts';
import { sqsClient } from './sqs.ts';

const autoscalingClient = lazyClient('AutoScaling', (config) => new AutoScalingClient(config));

export const clients = {
  get ec2() { return ec2Client(); },
  get eks() { return eksClient(); },
  get autoscaling() { return autoscalingClient(); },
  get elbv2() { return elbv2Client(); },
  get eventbridge() { return eventBridgeClient(); },
  get sqs() { return sqsClient(); },
  get servicequotas() { return serviceQuotasClient(); },
};

export { dryRunGuard, resetClients } from './client.ts';
