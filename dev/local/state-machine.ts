import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { loadTemplate, resolveIntrinsics, type TemplateDocument } from './template.ts';

/**
 * The template's Step Functions state machines, run locally on an Amazon States Language interpreter
 * (aws-local-stepfunctions) with our own functions behind their `arn:aws:states:::lambda:invoke` tasks —
 * moto stores executions but runs nothing.
 */

/** A state machine's `Definition` from template.yaml, with its SAM `DefinitionSubstitutions` applied. */
export function stateMachineDefinition(logicalId: string, options: { template?: TemplateDocument; account?: string; region?: string } = {}): StateMachineDefinition {
  const template = options.template ?? loadTemplate();
  const account = options.account ?? '123456789012';
  const region = options.region ?? 'us-east-1';
  const resource = template.Resources[logicalId];
  if (resource?.Type !== 'AWS::Serverless::StateMachine') throw new Error(`${logicalId} is not an AWS::Serverless::StateMachine in template.yaml`);
  const props = resource.Properties as { Definition?: unknown; DefinitionSubstitutions?: Record<string, unknown> };
  if (!props.Definition) throw new Error(`${logicalId} has no inline Definition`);
  const values = Object.fromEntries(Object.entries(props.DefinitionSubstitutions ?? {}).map(([name, value]) => [name, substitution(value, template, account, region)]));
  // SAM replaces ${Name} in the definition's strings with the substitution's value (a string; numbers become strings too).
  const substitute = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
    if (Array.isArray(v)) return v.map(substitute);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x)]));
    return v;
  };
  return substitute(props.Definition) as StateMachineDefinition;
}

/** `!GetAtt SomeFunction.Arn` as the function's ARN; other intrinsics with their local stand-ins. */
function substitution(value: unknown, template: TemplateDocument, account: string, region: string): unknown {
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] } | null)?.['Fn::GetAtt'];
  if (getAtt && getAtt[1] === 'Arn' && template.Resources[getAtt[0]]?.Type === 'AWS::Serverless::Function') {
    return `arn:aws:lambda:${region}:${account}:function:${getAtt[0]}`;
  }
  return resolveIntrinsics(value, template, account, region);
}

/** What a lambda:invoke task's function does with its payload: returns the result or throws its error. */
export type LocalFunction = (functionName: string, payload: unknown, context: { state: string }) => Promise<unknown>;

export interface LocalExecution {
  output: unknown;
  /** Every task invocation, in order (retries included). */
  invocations: { state: string; functionName: string; payload: unknown; error?: string }[];
  /** The interpreter's event log: StateRetried, StateCaught, MapIterationFailed… */
  events: { type: string; state?: string; error?: string }[];
}

/**
 * Runs a definition on the interpreter. Every Task state whose resource is `arn:aws:states:::lambda:invoke`
 * calls `invoke(FunctionName, Payload)` and gets `{ Payload: result }` back, as Step Functions does; a function
 * error is raised under its own name (the error's `name`), with a Cause like Lambda's
 * `{"errorType","errorMessage"}` — what Retry and Catch match, as with a real function error.
 * Invocations run one at a time: a Lambda execution environment handles one event at a time, and the
 * sweep keeps per-invocation state (its scope, the dry-run guard) in module scope.
 * Retries wait no wall time (`retryIntervalOverrides`); everything else is as declared.
 */
export async function runStateMachine(definition: StateMachineDefinition, input: unknown, invoke: LocalFunction): Promise<LocalExecution> {
  const invocations: LocalExecution['invocations'] = [];
  const tasks = taskStates(definition);
  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };
  const taskResourceLocalHandlers = Object.fromEntries(tasks.map((state) => [state, async (params: unknown) => {
    const { FunctionName: functionName, Payload: payload } = (params ?? {}) as { FunctionName?: string; Payload?: unknown };
    const call: LocalExecution['invocations'][number] = { state, functionName: String(functionName), payload };
    invocations.push(call);
    try {
      return { Payload: await oneAtATime(() => invoke(String(functionName), payload, { state })) ?? null, StatusCode: 200 } as never;
    } catch (err) {
      const e = err as Error;
      call.error = e?.name ?? 'Error';
      const raised = new Error(JSON.stringify({ errorType: call.error, errorMessage: e?.message ?? String(err) }));
      raised.name = call.error;
      throw raised;
    }
  }]));
  const machine = new StateMachine(definition, { validationOptions: { checkArn: true, checkPaths: true } });
  const execution = machine.run(input as never, {
    overrides: { taskResourceLocalHandlers, retryIntervalOverrides: Object.fromEntries(tasks.map((s) => [s, 0])) },
  });
  const events: LocalExecution['events'] = [];
  const logged = (async () => {
    for await (const e of execution.eventLogs) {
      const ev = e as { type: string; state?: { name: string }; Error?: string };
      events.push({ type: ev.type, ...(ev.state ? { state: ev.state.name } : {}), ...(ev.Error ? { error: ev.Error } : {}) });
    }
  })();
  const output = await execution.result;
  await logged;
  return { output, invocations, events };
}

/** Names of the Task states that invoke Lambda, nested ones (Map item processors, Parallel branches) included. */
function taskStates(definition: { States: Record<string, unknown> }): string[] {
  const names: string[] = [];
  for (const [name, state] of Object.entries(definition.States)) {
    const s = state as { Type?: string; Resource?: string; ItemProcessor?: typeof definition; Iterator?: typeof definition; Branches?: (typeof definition)[] };
    if (s.Type === 'Task' && s.Resource === 'arn:aws:states:::lambda:invoke') names.push(name);
    for (const nested of [s.ItemProcessor, s.Iterator, ...(s.Branches ?? [])]) if (nested) names.push(...taskStates(nested));
  }
  return names;
}
