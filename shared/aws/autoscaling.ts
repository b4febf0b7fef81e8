import {
  AutoScalingClient,
  CreateOrUpdateTagsCommand,
  DeleteTagsCommand,
  paginateDescribeAutoScalingGroups,
  type AutoScalingGroup,
  type Filter,
  type LaunchTemplateSpecification,
} from '@aws-sdk/client-auto-scaling';
import type { AsgTag, AutoScalingGroupState, LaunchTemplateRef } from '../types/index.ts';
import { lazyClient } from './client.ts';
import { classifyError, errorCode } from './errors.ts';
import type { WriteOutcome } from './ec2.ts';

export const autoscalingClient = lazyClient('AutoScaling', (config) => new AutoScalingClient(config));

/** DescribeAutoScalingGroups returns at most 100 groups a page. */
const PAGE_SIZE = 100;
/** Names per call: kept at a page so one call answers them all. */
const NAMES_PER_CALL = 50;
/** Tags per CreateOrUpdateTags / DeleteTags call (an ASG holds 50 at most, so usually one call). */
const TAGS_PER_CALL = 50;

/** Keys eks-guardrails may ever write or delete on an ASG; IAM enforces the same with aws:TagKeys. */
const WRITABLE_PREFIXES = ['k8s.io/cluster-autoscaler/', 'eks-guardrails/'];

export async function describeAutoScalingGroupsByName(names: readonly string[]): Promise<AutoScalingGroupState[]> {
  const out: AutoScalingGroupState[] = [];
  const unique = [...new Set(names)];
  for (let i = 0; i < unique.length; i += NAMES_PER_CALL) {
    out.push(...(await describePages({ AutoScalingGroupNames: unique.slice(i, i + NAMES_PER_CALL) })));
  }
  return out;
}

/** Always filtered (`tag-key`, `tag-value`, `tag:<key>`; filters AND, values within one filter OR). */
export async function describeAutoScalingGroupsByFilters(filters: Filter[]): Promise<AutoScalingGroupState[]> {
  if (filters.length === 0) throw new Error('describeAutoScalingGroupsByFilters: refusing an unfiltered account-wide scan');
  return describePages({ Filters: filters });
}

/**
 * Every ASG tied to one of `clusterNames` by `kubernetes.io/cluster/<c>` or `k8s.io/cluster-autoscaler/<c>`
 * keys — the account-wide prefetch a sweep passes as ObserveHints.autoScalingGroups (calls grow with pages,
 * not clusters). Managed node group ASGs carry the kubernetes.io key too.
 */
export async function prefetchClusterAutoScalingGroups(clusterNames: readonly string[]): Promise<AutoScalingGroupState[]> {
  const keys = clusterNames.flatMap((c) => [`kubernetes.io/cluster/${c}`, `k8s.io/cluster-autoscaler/${c}`]);
  const byName = new Map<string, AutoScalingGroupState>();
  // A filter takes a bounded number of values: chunk them.
  for (let i = 0; i < keys.length; i += 50) {
    for (const g of await describeAutoScalingGroupsByFilters([{ Name: 'tag-key', Values: keys.slice(i, i + 50) }])) byName.set(g.name, g);
  }
  for (let i = 0; i < clusterNames.length; i += 50) {
    for (const g of await describeAutoScalingGroupsByFilters([{ Name: 'tag:alpha.eksctl.io/cluster-name', Values: clusterNames.slice(i, i + 50) }])) byName.set(g.name, g);
  }
  return [...byName.values()];
}

async function describePages(input: { AutoScalingGroupNames?: string[]; Filters?: Filter[] }): Promise<AutoScalingGroupState[]> {
  const groups: AutoScalingGroupState[] = [];
  for await (const page of paginateDescribeAutoScalingGroups({ client: autoscalingClient() }, { ...input, MaxRecords: PAGE_SIZE })) {
    for (const g of page.AutoScalingGroups ?? []) groups.push(toState(g));
  }
  return groups;
}

/** Creates or updates tags (PropagateAtLaunch as given). Writing a value that is already there is harmless but we never plan one. */
export async function createOrUpdateTags(asgName: string, tags: readonly AsgTag[]): Promise<WriteOutcome> {
  if (tags.length === 0) return 'already-done';
  assertWritable(tags.map((t) => t.key));
  try {
    for (let i = 0; i < tags.length; i += TAGS_PER_CALL) {
      await autoscalingClient().send(new CreateOrUpdateTagsCommand({
        Tags: tags.slice(i, i + TAGS_PER_CALL).map((t) => ({
          ResourceId: asgName, ResourceType: 'auto-scaling-group', Key: t.key, Value: t.value, PropagateAtLaunch: t.propagateAtLaunch,
        })),
      }));
    }
    return 'applied';
  } catch (err) {
    if (isAsgGone(err)) return 'already-done';
    throw asAsgError(err);
  }
}

/**
 * Deletes tags by key; deleting a key that is not there is not an error in Auto Scaling. With `expected`
 * values, Auto Scaling deletes a tag only if it still has that value — a person's change made since we read
 * the group is never deleted (a conditional delete, for free).
 */
export async function deleteTags(asgName: string, keys: readonly string[], expected: Readonly<Record<string, string>> = {}): Promise<WriteOutcome> {
  if (keys.length === 0) return 'already-done';
  assertWritable(keys);
  try {
    for (let i = 0; i < keys.length; i += TAGS_PER_CALL) {
      await autoscalingClient().send(new DeleteTagsCommand({
        Tags: keys.slice(i, i + TAGS_PER_CALL).map((key) => ({
          ResourceId: asgName, ResourceType: 'auto-scaling-group', Key: key, ...(expected[key] !== undefined ? { Value: expected[key] } : {}),
        })),
      }));
    }
    return 'applied';
  } catch (err) {
    if (isAsgGone(err)) return 'already-done';
    throw asAsgError(err);
  }
}

function assertWritable(keys: readonly string[]): void {
  const bad = keys.filter((k) => !WRITABLE_PREFIXES.some((p) => k.startsWith(p)));
  if (bad.length > 0) throw new Error(`refusing to write ASG tag key(s) outside ${WRITABLE_PREFIXES.join(', ')}: ${bad.join(', ')}`);
}

/** A deleted ASG answers ValidationException "…not found": nothing left to tag. */
function isAsgGone(err: unknown): boolean {
  return errorCode(err) === 'ValidationException' && /not found|does not exist/i.test((err as Error).message ?? '');
}

/** ResourceContention (a pending update on the group) is transient: surfaced as retryable. */
function asAsgError(err: unknown): unknown {
  if (errorCode(err) === 'ResourceContention' && classifyError(err) !== 'retryable') {
    return Object.assign(new Error((err as Error).message), { name: 'ServiceUnavailable', cause: err });
  }
  return err;
}

/** Where the group's instances get their settings (an override in a mixed-instances policy may name its own template). */
function launchSource(g: AutoScalingGroup): Pick<AutoScalingGroupState, 'launchTemplate' | 'mixedInstancesLaunchTemplates' | 'launchConfigurationName'> {
  const ref = (t: LaunchTemplateSpecification | undefined): LaunchTemplateRef | undefined =>
    t && (t.LaunchTemplateId || t.LaunchTemplateName) ? { id: t.LaunchTemplateId, name: t.LaunchTemplateName, version: t.Version } : undefined;
  const mixed = g.MixedInstancesPolicy?.LaunchTemplate;
  const mixedRefs = [ref(mixed?.LaunchTemplateSpecification), ...(mixed?.Overrides ?? []).map((o) => ref(o.LaunchTemplateSpecification))]
    .filter((r): r is LaunchTemplateRef => Boolean(r));
  return {
    ...(ref(g.LaunchTemplate) ? { launchTemplate: ref(g.LaunchTemplate) } : {}),
    ...(mixedRefs.length > 0 ? { mixedInstancesLaunchTemplates: mixedRefs } : {}),
    ...(g.LaunchConfigurationName ? { launchConfigurationName: g.LaunchConfigurationName } : {}),
  };
}

function toState(g: AutoScalingGroup): AutoScalingGroupState {
  return {
    name: g.AutoScalingGroupName!,
    arn: g.AutoScalingGroupARN,
    minSize: g.MinSize ?? 0,
    maxSize: g.MaxSize ?? 0,
    desiredCapacity: g.DesiredCapacity ?? 0,
    availabilityZones: g.AvailabilityZones ?? [],
    ...launchSource(g),
    tags: (g.Tags ?? []).filter((t) => t.Key).map((t) => ({ key: t.Key!, value: t.Value ?? '', propagateAtLaunch: t.PropagateAtLaunch ?? false })),
  };
}
