import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type Tags } from 'yaml';

export const TEMPLATE_PATH = fileURLToPath(new URL('../../template.yaml', import.meta.url));

/** CloudFormation's short-form intrinsics, read as their long form ({ Ref }, { 'Fn::GetAtt' } …). */
const INTRINSICS = ['Ref', 'GetAtt', 'Sub', 'Join', 'If', 'Equals', 'Not', 'And', 'Or', 'Select', 'Split', 'FindInMap', 'ImportValue', 'GetAZs', 'Base64', 'Condition', 'Cidr'];
const customTags: Tags = INTRINSICS.flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  const resolve = (value: unknown) => ({ [key]: name === 'GetAtt' && typeof value === 'string' ? value.split('.') : value });
  return (['scalar', 'seq', 'map'] as const).map((nodeClass) => ({
    tag: `!${name}`,
    collection: nodeClass === 'scalar' ? undefined : nodeClass,
    resolve: (v: unknown) => resolve(nodeClass === 'scalar' ? v : (v as { toJSON: () => unknown }).toJSON()),
  }) as Tags[number]);
});

export interface TemplateDocument {
  Parameters?: Record<string, { Default?: unknown }>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Globals?: { Function?: Record<string, unknown> };
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }>;
}

export function loadTemplate(path = TEMPLATE_PATH): TemplateDocument {
  return parse(readFileSync(path, 'utf8'), { customTags, version: '1.1' }) as TemplateDocument;
}

/** A rule that routes EventBridge events to one of our functions (SAM EventBridgeRule events). */
export interface FunctionRule {
  functionLogicalId: string;
  /** `functions/<name>/handler.ts` → `<name>`. */
  functionName: string;
  ruleName: string;
  /** undefined = the account's default bus; otherwise a logical id or name. */
  eventBus?: unknown;
  pattern: unknown;
}

export function functionNameOf(resource: TemplateDocument['Resources'][string]): string | undefined {
  const entry = ((resource.Metadata?.BuildProperties as { EntryPoints?: string[] } | undefined)?.EntryPoints ?? [])[0];
  return /functions\/([^/]+)\/handler\.ts$/.exec(entry ?? '')?.[1];
}

export function functionRules(template: TemplateDocument): FunctionRule[] {
  const rules: FunctionRule[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Serverless::Function') continue;
    const functionName = functionNameOf(resource);
    const events = (resource.Properties?.Events ?? {}) as Record<string, { Type: string; Properties: Record<string, unknown> }>;
    for (const [eventName, ev] of Object.entries(events)) {
      if (ev.Type !== 'EventBridgeRule' && ev.Type !== 'CloudWatchEvent') continue;
      rules.push({ functionLogicalId: logicalId, functionName: functionName ?? logicalId, ruleName: `${logicalId}-${eventName}`, eventBus: ev.Properties.EventBusName, pattern: ev.Properties.Pattern });
    }
  }
  rules.push(...queueFedRules(template));
  return rules;
}

/**
 * Rules that reach a function through an SQS queue (`AWS::Events::Rule` → queue → the function's SQS
 * event, as notify is fed): the rule counts as the function's own.
 */
function queueFedRules(template: TemplateDocument): FunctionRule[] {
  const queueOf = (arn: unknown): string | undefined => {
    const getAtt = (arn as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
    return getAtt && getAtt[1] === 'Arn' ? getAtt[0] : undefined;
  };
  const consumers = new Map<string, { logicalId: string; functionName: string }>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Serverless::Function') continue;
    const events = (resource.Properties?.Events ?? {}) as Record<string, { Type: string; Properties: Record<string, unknown> }>;
    for (const ev of Object.values(events)) {
      const queue = ev.Type === 'SQS' ? queueOf(ev.Properties.Queue) : undefined;
      if (queue) consumers.set(queue, { logicalId, functionName: functionNameOf(resource) ?? logicalId });
    }
  }
  const rules: FunctionRule[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Events::Rule') continue;
    const targets = (resource.Properties?.Targets ?? []) as { Arn?: unknown }[];
    for (const target of targets) {
      const consumer = consumers.get(queueOf(target.Arn) ?? '');
      if (!consumer) continue;
      rules.push({ functionLogicalId: consumer.logicalId, functionName: consumer.functionName, ruleName: logicalId, eventBus: resource.Properties?.EventBusName, pattern: resource.Properties?.EventPattern });
    }
  }
  return rules;
}

/**
 * Resolves the intrinsics that can appear in event patterns with local stand-ins: parameters take
 * their defaults, `!GetAtt X.Arn` of a role becomes `arn:aws:iam::<account>:role/<X>`.
 */
export function resolveIntrinsics(value: unknown, template: TemplateDocument, account = '123456789012', region = 'us-east-1'): unknown {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object') return v;
    const obj = v as Record<string, unknown>;
    if ('Ref' in obj) {
      const name = obj.Ref as string;
      if (name === 'AWS::AccountId') return account;
      if (name === 'AWS::Region') return region;
      if (name === 'AWS::Partition') return 'aws';
      const param = template.Parameters?.[name];
      return param ? param.Default : name;
    }
    if ('Fn::GetAtt' in obj) {
      const [id, attr] = obj['Fn::GetAtt'] as [string, string];
      const type = template.Resources[id]?.Type;
      if (type === 'AWS::IAM::Role' && attr === 'Arn') return `arn:aws:iam::${account}:role/${id}`;
      return `arn:aws:local:${region}:${account}:${id}/${attr}`;
    }
    if ('Fn::Sub' in obj && typeof obj['Fn::Sub'] === 'string') {
      return (obj['Fn::Sub'] as string).replace(/\$\{([^}]+)\}/g, (_, n: string) => String(walk({ Ref: n })));
    }
    if ('Fn::FindInMap' in obj) {
      const [map, key, attr] = (obj['Fn::FindInMap'] as unknown[]).map(walk) as [string, string, string];
      return walk(template.Mappings?.[map]?.[key]?.[attr]);
    }
    if ('Fn::Join' in obj) {
      const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
      return (walk(parts) as unknown[]).join(sep);
    }
    return Object.fromEntries(Object.entries(obj).map(([k, x]) => [k, walk(x)]));
  };
  return walk(value);
}

/** Our own role ARNs as the template's GUARDRAILS_SELF_ROLE_ARN names them, resolved locally. */
export function selfRoleArns(template: TemplateDocument, account = '123456789012'): string[] {
  const env = (template.Globals?.Function?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
  const value = resolveIntrinsics(env.GUARDRAILS_SELF_ROLE_ARN, template, account);
  return typeof value === 'string' ? value.split(',').filter(Boolean) : [];
}
