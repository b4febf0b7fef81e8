/**
 * Request tables for the IAM test: ARNs and request contexts shaped like AWS builds them, and a runner that
 * evaluates a role's table and reports every row whose decision differs from the table's.
 */
import { templateFunctions } from '../../scripts/build.ts';
import { functionNameOf, type TemplateDocument } from '../../dev/local/template.ts';
import { bundleMetafile } from './bundles.ts';
import { ACCOUNT, REGION, allowStatements, evaluate, type RolePolicies } from './iam-roles.ts';

export type Context = Record<string, string | string[]>;
export type Params = Record<string, string>;

/** One request and what IAM must answer; `allow` may depend on the template's parameters. */
export interface Row { allow: boolean | ((p: Params) => boolean); action: string; resource: string; context?: Context; why: string }

export const arn = {
  sg: (id: string, region = REGION) => `arn:aws:ec2:${region}:${ACCOUNT}:security-group/${id}`,
  rule: (id: string, region = REGION) => `arn:aws:ec2:${region}:${ACCOUNT}:security-group-rule/${id}`,
  asg: (name: string, region = REGION) => `arn:aws:autoscaling:${region}:${ACCOUNT}:autoScalingGroup:6d3c1f0e-0000-4000-8000-000000000000:autoScalingGroupName/${name}`,
  cluster: (name: string, region = REGION) => `arn:aws:eks:${region}:${ACCOUNT}:cluster/${name}`,
  nodegroup: (cluster: string, ng: string, region = REGION) => `arn:aws:eks:${region}:${ACCOUNT}:nodegroup/${cluster}/${ng}/0ac6d2c4-0000-4000-8000-000000000000`,
  role: (name: string, account = ACCOUNT) => `arn:aws:iam::${account}:role/${name}`,
  quota: (region = REGION) => `arn:aws:servicequotas:${region}:${ACCOUNT}:vpc/L-0EA8095F`,
};

/** Resource tags as IAM sees them on the request (aws:ResourceTag/<key>). */
export function tagged(tags: Record<string, string>): Context {
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
}
/** A tagging request: the keys it names (aws:TagKeys) and, when writing, their values (aws:RequestTag/<key>). */
export function tagRequest(tags: Record<string, string> | string[], resourceTags: Record<string, string> = {}): Context {
  const keys = Array.isArray(tags) ? tags : Object.keys(tags);
  const values = Array.isArray(tags) ? {} : Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v]));
  return { ...tagged(resourceTags), ...(keys.length > 0 ? { 'aws:TagKeys': keys } : {}), ...values };
}

export const CLUSTER_SG_TAGS = { 'aws:eks:cluster-name': 'prod', 'kubernetes.io/cluster/prod': 'owned' };
export const NODE_SG_TAGS = { 'kubernetes.io/cluster/prod': 'owned' };
export const OPTED_IN_SG_TAGS = { 'kubernetes.io/cluster/prod': 'owned', 'eks-guardrails/nlb-trim': 'true' };

export interface Mismatch { expected: string; got: string; action: string; resource: string; why: string }

/** Evaluates every row; returns the rows IAM answers differently, and which statement allowed each allowed row. */
export async function runTable(role: RolePolicies, rows: Row[], params: Params): Promise<{ mismatches: Mismatch[]; used: Set<string> }> {
  const mismatches: Mismatch[] = [];
  const used = new Set<string>();
  for (const row of rows) {
    const want = typeof row.allow === 'function' ? row.allow(params) : row.allow;
    const got = await evaluate(role, row);
    for (const id of got.allowedBy) used.add(`${id} ${row.action}`);
    if (got.ignoredContextKeys.length > 0) throw new Error(`${row.action}: context keys ${got.ignoredContextKeys.join(', ')} do not apply to it — the row tests nothing`);
    if ((got.decision === 'Allowed') !== want) mismatches.push({ expected: want ? 'allow' : 'deny', got: got.decision, action: row.action, resource: row.resource, why: row.why });
  }
  return { mismatches, used };
}

/** Inline statements (action by action) that no allowed row needed: a grant the product never uses, or one AWS never evaluates. */
export function unusedGrants(role: RolePolicies, used: Set<string>, isOurs: (policyName: string) => boolean): string[] {
  return allowStatements(role).filter((s) => isOurs(s.id.split('#')[0]!))
    .flatMap((s) => s.actions.filter((a) => !used.has(`${s.id} ${a}`)).map((a) => `${s.id} ${a}`));
}

/** SDK v3 client package → IAM service prefix. */
const IAM_PREFIX: Record<string, string> = {
  'client-ec2': 'ec2', 'client-auto-scaling': 'autoscaling', 'client-eks': 'eks', 'client-elastic-load-balancing-v2': 'elasticloadbalancing',
  'client-eventbridge': 'events', 'client-iam': 'iam', 'client-s3': 's3', 'client-secrets-manager': 'secretsmanager',
  'client-service-quotas': 'servicequotas', 'client-sfn': 'states', 'client-sns': 'sns', 'client-sqs': 'sqs', 'client-sts': 'sts', 'client-dynamodb': 'dynamodb',
};

/**
 * The IAM actions each function's bundle can send, from esbuild's metafile (the same options `sam build` uses):
 * every SDK command module that survives tree-shaking. The SDK's credential-provider clients
 * (`@aws-sdk/nested-clients`: SSO, web identity, sign-in) are left out — Lambda hands credentials over in the environment.
 */
export async function bundledActions(template: TemplateDocument): Promise<Map<string, { role: string; actions: Set<string> }>> {
  const out = new Map<string, { role: string; actions: Set<string> }>();
  const functions = new Map(templateFunctions(template).map((fn) => [fn.logicalId, fn]));
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Serverless::Function') continue;
    const name = functionNameOf(resource)!;
    const role = ((resource.Properties?.Role as { 'Fn::GetAtt'?: string[] } | undefined)?.['Fn::GetAtt'] ?? [])[0];
    if (!role) throw new Error(`${name}: its role is not a !GetAtt of a role in the template`);
    const fn = functions.get(logicalId);
    if (!fn) throw new Error(`${name}: not built with esbuild (Metadata.BuildMethod)`);
    const actions = new Set<string>();
    for (const output of Object.values(bundleMetafile(fn).outputs)) {
      for (const [path, input] of Object.entries(output.inputs)) {
        const m = /@aws-sdk\/(client-[a-z0-9-]+)\/dist-es\/commands\/([A-Za-z0-9]+)Command\.js$/.exec(path);
        if (!m || input.bytesInOutput === 0) continue;
        const prefix = IAM_PREFIX[m[1]!];
        if (!prefix) throw new Error(`${name} bundles @aws-sdk/${m[1]}: add its IAM service prefix to IAM_PREFIX`);
        actions.add(`${prefix}:${m[2]}`);
      }
    }
    out.set(name, { role, actions });
  }
  return out;
}
