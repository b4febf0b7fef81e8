import { loadConfig } from '../../shared/capabilities/config.ts';
import type { ClusterReport } from '../../shared/sweep/model.ts';
import { assembleReport, countCalls } from '../../shared/sweep/run-sweep.ts';

/** A sweep report of one cluster with LoadBalancer headroom: the cluster SG with room, and a full tagged group. */
const cluster: ClusterReport = {
  name: 'prod', account: '111122223333', region: 'eu-west-1', status: 'pass', checks: [], findings: [], durationMs: 1,
  loadBalancerHeadroom: [
    { groupId: 'sg-cluster', groupName: 'eks-cluster-sg-prod', ingressRulesUsed: 12, quota: 60, servicesThatFit: 16, rulesPerService: 3 },
    { groupId: 'sg-full', ingressRulesUsed: 60, quota: 60, servicesThatFit: 0, rulesPerService: 3 },
  ],
};
export const headroomReport = () => assembleReport([{ scope: { account: '111122223333', region: 'eu-west-1' }, clusters: [cluster] }],
  { sweepId: 'id-1', startedAt: new Date(0), finishedAt: new Date(1), config: loadConfig({}), trigger: 'cli', checks: [], calls: countCalls([]) });
