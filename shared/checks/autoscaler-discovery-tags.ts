import type { Action, Check, CheckOutcome, ClusterSnapshot, Finding } from '../types/index.ts';
import { CA_ENABLED_KEY, caClusterKey, isOptedOut, missingDiscoveryTags, nodegroupAsgs } from './autoscaler-tags.ts';

export const AUTOSCALER_DISCOVERY_TAGS = 'autoscaler-discovery-tags';

/**
 * Every ASG of the cluster's node groups (managed and self-managed) carries cluster-autoscaler's two
 * discovery tags. It only ever adds missing keys: a value a person set is never changed, and
 * `k8s.io/cluster-autoscaler/enabled=false` is an explicit opt-out (reported, not changed).
 */
export const autoscalerDiscoveryTags: Check = {
  name: AUTOSCALER_DISCOVERY_TAGS,
  description: 'Every node group ASG carries k8s.io/cluster-autoscaler/enabled=true and k8s.io/cluster-autoscaler/<cluster>=owned.',
  defaultMode: 'enforce',
  facets: ['nodegroups', 'autoScalingGroups'],
  run(snapshot: ClusterSnapshot): CheckOutcome {
    const findings: Finding[] = [];
    const actions: Action[] = [];
    const cluster = snapshot.cluster.name;
    for (const { asg, tags, ownership, nodegroupName, resource } of nodegroupAsgs(snapshot)) {
      const what = ownership === 'managed' ? `managed node group ${nodegroupName}` : 'self-managed node group';
      if (isOptedOut(tags)) {
        findings.push({
          id: `${AUTOSCALER_DISCOVERY_TAGS}:${asg.name}:opted-out`, check: AUTOSCALER_DISCOVERY_TAGS, severity: 'info', resource,
          title: `ASG ${asg.name} (${what}) is opted out of cluster-autoscaler (${CA_ENABLED_KEY}=false)`,
          evidence: { ownership, [CA_ENABLED_KEY]: tags[CA_ENABLED_KEY] },
          fixHint: `Left as is on purpose. Remove the tag or set it to true to let cluster-autoscaler manage ${asg.name}.`,
        });
        continue;
      }
      const missing = missingDiscoveryTags(tags, cluster);
      if (missing.length === 0) continue;
      const id = `${AUTOSCALER_DISCOVERY_TAGS}:${asg.name}`;
      findings.push({
        id, check: AUTOSCALER_DISCOVERY_TAGS, severity: 'medium', resource,
        title: `ASG ${asg.name} (${what}) lacks cluster-autoscaler discovery tag${missing.length > 1 ? 's' : ''} ${missing.map((t) => t.key).join(', ')}`,
        evidence: { ownership, ...(nodegroupName ? { nodegroup: nodegroupName } : {}), missing: missing.map((t) => t.key), minSize: asg.minSize, maxSize: asg.maxSize },
        fixHint: `Tag ${asg.name} with ${CA_ENABLED_KEY}=true and ${caClusterKey(cluster)}=owned, or with ${CA_ENABLED_KEY}=false to opt it out.`,
      });
      actions.push({
        kind: 'TagAsg', check: AUTOSCALER_DISCOVERY_TAGS, findingId: id, asgName: asg.name, tags: missing,
        summary: `Tag ASG ${asg.name} with ${missing.map((t) => `${t.key}=${t.value}`).join(', ')}`,
        before: Object.fromEntries(missing.map((t) => [t.key, null])),
        after: Object.fromEntries(missing.map((t) => [t.key, t.value])),
      });
    }
    return { findings, actions };
  },
};
