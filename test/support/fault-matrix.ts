import assert from 'node:assert/strict';
import { sdkClients } from '../../shared/aws/client.ts';
import { FAULT_KINDS, type AwsCall, type FaultKind, type FaultProxy } from './fault-proxy.ts';

/**
 * One scenario of the fault matrix: a fresh account (`seed`), one invocation as Lambda would run it
 * (`invoke`, which throws when the invocation failed — for a batch, when it reports the record failed),
 * and the canonical state the invocation leaves behind (`state`).
 */
export interface FaultScenario<C> {
  name: string;
  seed(): Promise<C>;
  /** `attempt` 0 is the first delivery, 1 the retry (after a fault): scenarios move their clock between them. */
  invoke(ctx: C, attempt: 0 | 1): Promise<void>;
  state(ctx: C): Promise<unknown>;
  /** The fault kinds to inject; every kind by default. */
  kinds?: readonly FaultKind[];
  /**
   * A state the retry may reach instead of the fault-free one, for a documented reason (returns the
   * reason, or undefined when the fault must converge exactly). `echo` is the state after the fault-free
   * run plus a duplicate delivery of the same event; `calls` the fault-free run's calls.
   */
  allowed?(c: { call: AwsCall; kind: FaultKind; state: unknown; reference: unknown; echo: unknown; calls: readonly AwsCall[] }): string | undefined;
}

/**
 * Which faults call k gets. Every call: throttling. Every write: its answer dropped after the write landed
 * (the realistic hard case: the change happened, the caller does not know). A 5xx and a connection dropped
 * before the request reach a caller exactly like throttling does (an error, nothing changed), so they run on
 * the first call of each service in the file (`covered` is shared by the file's scenarios): that exercises
 * each protocol's error parsing and the product's classification of it. A read's dropped answer is the same
 * case as a dropped request.
 */
export function kindsFor(call: AwsCall, kinds: readonly FaultKind[], covered: Set<string>): FaultKind[] {
  return kinds.filter((kind) => {
    if (kind === 'throttle') return true;
    if (kind === 'drop-response') return call.mutating;
    const key = `${call.service}:${kind}`;
    if (covered.has(key)) return false;
    covered.add(key);
    return true;
  });
}

export interface MatrixCase { k: number; call: string; kind: FaultKind; firstRun: 'failed' | 'succeeded'; outcome: 'converged' | string }
export interface MatrixReport { scenario: string; calls: string[]; cases: MatrixCase[]; failures: string[]; ms: number }

/**
 * Runs the scenario fault-free (its N calls and the reference state), then for every call k and every
 * fault kind: a fresh account, the invocation with call k failing — it must fail, or succeed having done
 * all the work — then the retry with no fault, which must reach the reference state.
 */
export async function runFaultMatrix<C>(proxy: FaultProxy, reset: () => Promise<void>, scenario: FaultScenario<C>, covered = new Set<string>()): Promise<MatrixReport> {
  const started = performance.now();
  await reset();
  const ctx = await scenario.seed();
  proxy.reset();
  await scenario.invoke(ctx, 0);
  const reference = await scenario.state(ctx);
  const referenceCalls = [...proxy.calls()];
  // What a second, fault-free delivery adds on the converged state (a duplicate event): what a retry
  // that finds nothing left to do may publish.
  proxy.reset();
  await scenario.invoke(ctx, 1);
  const echo = await scenario.state(ctx);
  const calls = referenceCalls.map((c) => `${c.service}.${c.operation}`);
  assert.ok(calls.length > 0, `${scenario.name}: the fault-free run makes AWS calls`);
  const cases: MatrixCase[] = [];
  const failures: string[] = [];
  for (let k = 1; k <= referenceCalls.length; k++) {
    for (const kind of kindsFor(referenceCalls[k - 1]!, scenario.kinds ?? FAULT_KINDS, covered)) {
      const label = `${scenario.name}: call ${k}/${calls.length} ${calls[k - 1]} ${kind}`;
      let firstRun: MatrixCase['firstRun'] = 'succeeded';
      let outcome = 'converged';
      try {
        await reset();
        sdkClients.clear();
        const c = await scenario.seed();
        proxy.reset();
        proxy.failCall(k, kind);
        try {
          await scenario.invoke(c, 0);
        } catch {
          firstRun = 'failed';
        }
        const hit = proxy.calls()[k - 1];
        assert.equal(hit?.fault, kind, `${label}: the fault was injected`);
        assert.equal(`${hit.service}.${hit.operation}`, calls[k - 1], `${label}: the run is deterministic up to the fault`);
        let after: unknown;
        if (firstRun === 'succeeded') {
          // Success means the work is done: anything else is "success with the work undone". EventBridge and
          // SQS do not retry a success.
          after = await scenario.state(c);
        } else {
          proxy.reset();
          await scenario.invoke(c, 1);
          after = await scenario.state(c);
        }
        try {
          assert.deepEqual(after, reference, firstRun === 'succeeded'
            ? `${label}: the invocation succeeded, so its state must be the fault-free one`
            : `${label}: the retry reaches the fault-free state`);
        } catch (err) {
          const why = scenario.allowed?.({ call: hit, kind, state: after, reference, echo, calls: referenceCalls });
          if (!why) throw err;
          outcome = why;
        }
      } catch (err) {
        outcome = `FAILED: ${(err as Error).message.split('\n')[0]}`;
        failures.push(`${label} (first run ${firstRun}): ${(err as Error).message.split('\n').filter((l) => !/^\s+'.*',?$/.test(l) || /^\s*[+-]/.test(l)).slice(0, 40).join('\n')}`);
      }
      cases.push({ k, call: calls[k - 1]!, kind, firstRun, outcome });
    }
  }
  return { scenario: scenario.name, calls, cases, failures, ms: Math.round(performance.now() - started) };
}
