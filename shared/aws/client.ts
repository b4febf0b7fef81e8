import { callLog, isMutating } from './calls.ts';

/** Services whose mutating calls change the customer's resources: refused outright during a dry-run. */
const GUARDED_SERVICES = new Set(['EC2', 'EKS', 'AutoScaling', 'ElasticLoadBalancingV2', 'IAM']);

/**
 * Held by the engine while a dry-run reconcile runs (a count, so concurrent reconciles in one process
 * don't release it early): a second line of defence behind the planner.
 */
export const dryRunGuard = {
  holders: 0,
  get active(): boolean { return this.holders > 0; },
  set active(on: boolean) { this.holders = Math.max(0, this.holders + (on ? 1 : -1)); },
};

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
}

function clientConfig(): ClientConfig {
  // AWS_ENDPOINT_URL, credentials and AWS_MAX_ATTEMPTS are read by the SDK itself.
  return { region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1' };
}

const resets: (() => void)[] = [];

/**
 * A client created on first use and kept for the container's life (module scope). Each adapter module
 * declares its own, so a function bundles only the SDK clients it really calls.
 */
export function lazyClient<T extends Middlewared>(service: string, create: (config: ClientConfig) => T): () => T {
  let client: T | undefined;
  resets.push(() => { client = undefined; });
  return () => (client ??= instrument(create(clientConfig()), service));
}

/** Lets the CLI and tests point at another endpoint or region: the next use builds fresh clients. */
export function resetClients(): void {
  for (const reset of resets) reset();
}
