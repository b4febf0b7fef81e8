import type { Action, ActionKind } from '../types/index.ts';
import { authorizeRules, describeSecurityGroupRules, revokeRules, type WriteOutcome } from '../aws/ec2.ts';
import { sameRule } from '../checks/sg-rules.ts';
import { createOrUpdateTags, deleteTags } from '../aws/autoscaling.ts';

type Executor<K extends ActionKind> = (action: Extract<Action, { kind: K }>) => Promise<WriteOutcome>;

/** One executor per action kind. Each is idempotent: re-running it on a converged resource writes nothing. */
export const EXECUTORS: { [K in ActionKind]?: Executor<K> } = {
  AuthorizeRules: (a) => authorizeRules(a.groupId, a.direction, a.rules),
  RevokeRules: async (a) => {
    // Re-describe right before revoking: only ids that still exist and still match the planned rule go.
    const live = (await describeSecurityGroupRules([a.groupId])).get(a.groupId) ?? [];
    const planned = new Map(a.rules.map((r) => [r.ruleId, r]));
    const stillThere = a.ruleIds.filter((id) => {
      const now = live.find((r) => r.ruleId === id);
      const then = planned.get(id);
      return now !== undefined && (then === undefined || sameRule(now, then));
    });
    return revokeRules(a.groupId, a.direction, stillThere);
  },
  // Planned from a snapshot read moments before; the adapter refuses keys outside the CA/eks-guardrails prefixes.
  TagAsg: (a) => createOrUpdateTags(a.asgName, a.tags),
  // `before` holds the values the plan saw: passed as DeleteTags values so a tag changed since is not deleted.
  UntagAsg: (a) => deleteTags(a.asgName, a.keys, stringValues(a.before)),
};

export function executorFor(action: Action): ((a: Action) => Promise<WriteOutcome>) | undefined {
  return EXECUTORS[action.kind] as ((a: Action) => Promise<WriteOutcome>) | undefined;
}

function stringValues(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
