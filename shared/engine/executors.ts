import type { Action, ActionKind, RevokeRulesAction } from '../types/index.ts';
import { authorizeRules, describeSecurityGroupRules, revokeRules, tagSecurityGroupRules, untagSecurityGroupRules, type WriteOutcome } from '../aws/ec2.ts';
import { sameRule } from './sg-rules.ts';
import { createOrUpdateTags, deleteTags } from '../aws/autoscaling.ts';
import { enableClusterLogging } from '../aws/eks-logging.ts';

type Executor<K extends ActionKind> = (action: Extract<Action, { kind: K }>) => Promise<WriteOutcome>;

/** One executor per action kind. Each is idempotent: re-running it on a converged resource writes nothing. */
export const EXECUTORS: { [K in ActionKind]?: Executor<K> } = {
  AuthorizeRules: (a) => authorizeRules(a.groupId, a.direction, a.rules),
  RevokeRules: async (a) => {
    // Re-describe right before revoking: only ids that still exist and still match the planned rule go.
    const ids = await revocable(a);
    const outcome = await revokeRules(a.groupId, a.direction, ids);
    if (outcome === 'applied' || ids.length <= 1) return outcome;
    // A revoke by several ids fails whole (InvalidPermission.NotFound) when one of them vanished meanwhile:
    // look again and revoke the ones still there, once.
    return revokeRules(a.groupId, a.direction, await revocable(a));
  },
  // Planned from a snapshot read moments before; the adapter refuses keys outside the CA/eks-guardrails prefixes.
  TagAsg: (a) => createOrUpdateTags(a.asgName, a.tags),
  // `before` holds the values the plan saw: passed as DeleteTags values so a tag changed since is not deleted.
  UntagAsg: (a) => deleteTags(a.asgName, a.keys, stringValues(a.before)),
  EnableClusterLogging: (a) => enableClusterLogging(a.clusterName, a.types),
  // Marks (the NLB trimmer's grace period) are written only on rules that do not carry them yet: the plan
  // asks for unmarked rules only, so a replay finds nothing to do.
  TagSecurityGroupRules: (a) => tagSecurityGroupRules(a.ruleIds, a.tags),
  UntagSecurityGroupRules: (a) => untagSecurityGroupRules(a.ruleIds, a.keys),
};

async function revocable(a: RevokeRulesAction): Promise<string[]> {
  const live = (await describeSecurityGroupRules([a.groupId])).get(a.groupId) ?? [];
  const planned = new Map(a.rules.map((r) => [r.ruleId, r]));
  return a.ruleIds.filter((id) => {
    const now = live.find((r) => r.ruleId === id);
    const then = planned.get(id);
    // A planned rule's tags (the NLB trimmer's first-seen-stale mark) must still be there unchanged.
    const tagsHeld = Object.entries(then?.tags ?? {}).every(([k, v]) => now?.tags?.[k] === v);
    return now !== undefined && (then === undefined || (sameRule(now, then) && tagsHeld));
  });
}

export function executorFor(action: Action): ((a: Action) => Promise<WriteOutcome>) | undefined {
  return EXECUTORS[action.kind] as ((a: Action) => Promise<WriteOutcome>) | undefined;
}

function stringValues(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
