import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { ContainerCache } from '../state/cache.ts';
import { callLog, isMutating } from './calls.ts';

/** Services whose mutating calls change the customer's resources: refused outright during a dry-run. */
const GUARDED_SERVICES = new Set(['EC2', 'EKS', 'AutoScaling', 'ElasticLoadBalancingV2', 'IAM']);
/** Services whose clients follow targetScope (the customer's account and region); every other one is ours. */
const TARGET_SERVICES = new Set([...GUARDED_SERVICES, 'ServiceQuotas']);

/**
 * Held while a dry-run reconcile or sweep scope runs: a second line of defence behind the planner. A count of
 * holders, so concurrent reconciles in one process (a sweep's pool) don't release it for one another.
 */
export const dryRunGuard = (() => {
  let holders = 0;
  return {
    /** Refuse customer writes until the matching release(). */
    hold(): void { holders += 1; },
    release(): void { holders = Math.max(0, holders - 1); },
    /** Whether anyone holds it: a write to a customer resource is refused. */
    get active(): boolean { return holders > 0; },
  };
})();

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

export interface ClientConfig {
  region: string;
  /** Set only while a sweep reads a member account (see targetScope). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export interface TargetScope {
  region?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/**
 * The SDK clients of this container, one per service, built on first use from the environment and the target
 * scope and kept for the container's life: a client holds its connections and resolved credentials, which the
 * next invocation reuses. The customer-resource ones are dropped when the sweep points at another scope
 * (targetScope.pointAt); all are cleared by the CLI and tests after they change the endpoint or region in the
 * environment. The next use builds fresh ones.
 */
export const sdkClients = new ContainerCache<string, unknown>({ name: 'AWS SDK clients' });

/**
 * Where the customer's resources are: empty (this function's own account and region) unless a sweep points it
 * at another region, or at a member account's assumed-role credentials, for the length of one scope. Only
 * clients of customer resources follow it; our bus, queues, bucket, STS and Step Functions stay in our own
 * account and region.
 */
export const targetScope = (() => {
  let current: Readonly<TargetScope> = {};
  return {
    get region(): string | undefined { return current.region; },
    get credentials(): TargetScope['credentials'] { return current.credentials; },
    /**
     * Points customer-resource clients at `scope` (built afresh on next use); returns the scope it replaces, to
     * restore. Our own clients (STS, the bus, the bucket…) do not follow a scope, so they keep their connections.
     */
    pointAt(scope: TargetScope): Readonly<TargetScope> {
      const before = current;
      current = { ...scope };
      for (const service of TARGET_SERVICES) sdkClients.delete(service);
      return before;
    },
  };
})();

function clientConfig(service: string): ClientConfig {
  // AWS_ENDPOINT_URL, credentials and AWS_MAX_ATTEMPTS are read by the SDK itself.
  const config: ClientConfig = { region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1' };
  if (!TARGET_SERVICES.has(service)) return config;
  if (targetScope.region) config.region = targetScope.region;
  if (targetScope.credentials) config.credentials = targetScope.credentials;
  return config;
}

/**
 * The client of one service, from sdkClients or built on first use. Each adapter module declares its own, so
 * a function bundles only the SDK clients it really calls.
 */
export function lazyClient<T extends Middlewared>(service: string, create: (config: ClientConfig) => T): () => T {
  return () => {
    let client = sdkClients.get(service) as T | undefined;
    if (!client) sdkClients.set(service, (client = instrument(create(clientConfig(service)), service)));
    return client;
  };
}
