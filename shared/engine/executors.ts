import type { Action, ActionKind } from '../types/index.ts';
import { authorizeRules, describeSecurityGroupRules, revokeRules, type WriteOutcome } from '../aws/ec2.ts';
import { sameRule } from '../checks/sg-rules.ts';
import { enableClusterLogging } from '../aws/eks-logging.ts';

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
  EnableClusterLogging: (a) => enableClusterLogging(a.clusterName, a.types),
};

export function executorFor(action: Action): ((a: Action) => Promise<WriteOutcome>) | undefined {
  return EXECUTORS[action.kind] as ((a: Action) => Promise<WriteOutcome>) | undefined;
}
