import { Logger } from '@aws-lambda-powertools/logger';

/** One logger per container. Never give it a secret: the webhook URL stays inside notify's sender. */
export const logger = new Logger({ serviceName: 'eks-guardrails' });
