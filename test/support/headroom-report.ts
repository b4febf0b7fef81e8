import { clusterReport, reportOf } from './sweep-report.ts';

/** A sweep report of one cluster with LoadBalancer headroom: the cluster SG with room, and a full tagged group. */
export const headroomReport = () => reportOf([{
  ...clusterReport('prod', []),
  loadBalancerHeadroom: [
    { groupId: 'sg-cluster', groupName: 'eks-cluster-sg-prod', ingressRulesUsed: 12, quota: 60, servicesThatFit: 16, rulesPerService: 3 },
    { groupId: 'sg-full', ingressRulesUsed: 60, quota: 60, servicesThatFit: 0, rulesPerService: 3 },
  ],
}]);
