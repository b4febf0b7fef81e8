import type { Action, Check, CheckOutcome, ClusterSnapshot, Finding, GuardrailsConfig } from '../../types/index.ts';
import { CA_ENABLED_KEY, DISCOVERY_RECORD_TAG, OPT_OUT_TAG, caClusterKey, nodegroupAsgs } from './autoscaler-tags.ts';
import { nodegroupHealthFindings } from './autoscaler-nodegroup-health.ts';
import { planDiscovery, tagDeletionsOf } from './autoscaler-opt-outs.ts';

import { AUTOSCALER_DISCOVERY_TAGS } from './names.ts';

/**
 * Every ASG of the cluster's node groups (managed and self-managed) carries cluster-autoscaler's two
 * discovery tags. It only ever adds missing keys, and never one a person removed: that removal is recorded on
 * the ASG as an opt-out (reported once) and respected from then on. A value a person set is never changed.
 */
export const autoscalerDiscoveryTags: Check = {
  name: AUTOSCALER_DISCOVERY_TAGS,
  description: 'Every node group ASG carries k8s.io/cluster-autoscaler/enabled=true and k8s.io/cluster-autoscaler/<cluster>=owned; a discovery key a person removed stays removed.',
  defaultMode: 'enforce',
  facets: ['nodegroups', 'autoScalingGroups'],
  run(snapshot: ClusterSnapshot, config: GuardrailsConfig): CheckOutcome {
    const findings: Finding[] = [];
    const actions: Action[] = [];
    const C = AUTOSCALER_DISCOVERY_TAGS;
    const cluster = snapshot.cluster.name;
    for (const { asg, tags, ownership, nodegroupName, resource } of nodegroupAsgs(snapshot)) {
      const what = ownership === 'managed' ? `managed node group ${nodegroupName}` : 'self-managed node group';
      const p = planDiscovery(tags, cluster, ownership, tagDeletionsOf(snapshot, asg.name));
      const undoHint = `To give ${asg.name} back to cluster-autoscaler, add the key(s) again yourself (${CA_ENABLED_KEY}=true, ${caClusterKey(cluster)}=owned); eks-guardrails then drops them from ${OPT_OUT_TAG}. Deleting ${OPT_OUT_TAG} works too when eks-guardrails sees that DeleteTags event (it then adds the keys).`;

      if (p.optedOut.length > 0 || p.withdrawn.length > 0) {
        const keys = p.optedOut.map((o) => o.key);
        const fresh = p.optedOut.filter((o) => o.evidence !== 'recorded');
        const id = `${C}:${asg.name}:opted-out`;
        const by = p.actor && fresh.some((o) => o.evidence === 'deleted-by-person') ? p.actor : 'a person';
        const title = fresh.length > 0
          ? `ASG ${asg.name} (${what}): ${by} removed ${fresh.map((o) => o.key).join(', ')}, taking it out of cluster-autoscaler's hands; recorded as an opt-out, eks-guardrails will not add it back`
          : keys.length > 0
            ? `ASG ${asg.name} (${what}) is opted out of cluster-autoscaler (${keys.join(', ')} removed on purpose; recorded in ${OPT_OUT_TAG})`
            : `ASG ${asg.name} (${what}): ${p.withdrawn.join(', ')} put back, the opt-out is withdrawn`;
        const unrecorded = p.dropped.some((d) => d.key === OPT_OUT_TAG);
        findings.push({
          id, check: C, severity: 'info', resource, title: unrecorded ? `${title} (not recorded: the ASG holds 50 tags)` : title,
          evidence: { ownership, optedOut: p.optedOut, withdrawn: p.withdrawn, ...(p.actor ? { removedBy: p.actor } : {}), [OPT_OUT_TAG]: p.record?.after ?? tags[OPT_OUT_TAG] ?? null },
          fixHint: keys.length > 0 ? undoHint : `Nothing to do: cluster-autoscaler discovers ${asg.name} again.`,
          // Announced once, when the record changes (its action makes it news); afterwards only listed in reports.
          ...(p.record || unrecorded ? {} : { quiet: true }),
        });
        if (p.record) {
          const { before, after } = p.record;
          actions.push(after === null
            ? { kind: 'UntagAsg', check: C, findingId: id, asgName: asg.name, keys: [OPT_OUT_TAG], summary: `Remove ${OPT_OUT_TAG} from ASG ${asg.name} (the discovery keys are back)`, before: { [OPT_OUT_TAG]: before }, after: { [OPT_OUT_TAG]: null } }
            : { kind: 'TagAsg', check: C, findingId: id, asgName: asg.name, tags: [{ key: OPT_OUT_TAG, value: after, propagateAtLaunch: false }], summary: `Record the opt-out on ASG ${asg.name}: ${OPT_OUT_TAG}=${after}`, before: { [OPT_OUT_TAG]: before }, after: { [OPT_OUT_TAG]: after } });
        }
      }

      if (p.enabledFalse && p.optedOut.length === 0) {
        const managedByCa = p.missing.length === 0;
        findings.push({
          id: `${C}:${asg.name}:enabled-false`, check: C, severity: managedByCa ? 'medium' : 'info', resource,
          title: managedByCa
            ? `ASG ${asg.name} (${what}) says ${CA_ENABLED_KEY}=false, but cluster-autoscaler still manages it: its discovery matches tag keys, not values`
            : `ASG ${asg.name} (${what}) says ${CA_ENABLED_KEY}=false and lacks ${p.missing.join(', ')}: not discovered by cluster-autoscaler; left as is`,
          evidence: { ownership, [CA_ENABLED_KEY]: tags[CA_ENABLED_KEY], missing: p.missing },
          fixHint: managedByCa
            ? `To take ${asg.name} out of cluster-autoscaler's hands, delete the tag ${CA_ENABLED_KEY} (eks-guardrails records that as an opt-out and never adds it back). To let it manage the group, set the value to true.`
            : `Nothing to do. eks-guardrails adds no discovery key to a group saying ${CA_ENABLED_KEY}=false.`,
          ...(managedByCa ? {} : { quiet: true }),
        });
      }

      if (p.add.length > 0) {
        const id = `${C}:${asg.name}`;
        const keys = p.add.filter((t) => t.key.startsWith('k8s.io/'));
        findings.push({
          id, check: C, severity: 'medium', resource,
          title: `ASG ${asg.name} (${what}) lacks cluster-autoscaler discovery tag${keys.length > 1 ? 's' : ''} ${keys.map((t) => t.key).join(', ')}`,
          evidence: { ownership, ...(nodegroupName ? { nodegroup: nodegroupName } : {}), missing: keys.map((t) => t.key), minSize: asg.minSize, maxSize: asg.maxSize },
          fixHint: `Tag ${asg.name} with ${CA_ENABLED_KEY}=true and ${caClusterKey(cluster)}=owned, or tag it ${config.exemptTagKey}=${C} to leave it alone.`,
        });
        actions.push({
          kind: 'TagAsg', check: C, findingId: id, asgName: asg.name, tags: p.add,
          summary: `Tag ASG ${asg.name} with ${keys.map((t) => `${t.key}=${t.value}`).join(', ')}`,
          before: Object.fromEntries(p.add.map((t) => [t.key, tags[t.key] ?? null])),
          after: Object.fromEntries(p.add.map((t) => [t.key, t.value])),
        });
      }

      if (p.remember) {
        const id = `${C}:${asg.name}:record`;
        findings.push({
          id, check: C, severity: 'info', resource,
          title: `ASG ${asg.name} (${what}) carries ${CA_ENABLED_KEY} and ${caClusterKey(cluster)}: eks-guardrails records that in ${DISCOVERY_RECORD_TAG}, so a later removal is respected as an opt-out even if its event is missed`,
          evidence: { ownership, [DISCOVERY_RECORD_TAG]: p.remember.value },
          fixHint: 'Nothing to do. Removing a discovery key takes the group out of cluster-autoscaler; eks-guardrails will not add it back.',
        });
        actions.push({
          kind: 'TagAsg', check: C, findingId: id, asgName: asg.name, tags: [p.remember],
          summary: `Record the discovery keys of ASG ${asg.name}: ${DISCOVERY_RECORD_TAG}=${p.remember.value}`,
          before: { [DISCOVERY_RECORD_TAG]: tags[DISCOVERY_RECORD_TAG] ?? null }, after: { [DISCOVERY_RECORD_TAG]: p.remember.value },
        });
      }

      const dropped = p.dropped.filter((d) => d.key !== OPT_OUT_TAG);
      if (dropped.length > 0) {
        const lost = dropped.filter((d) => d.key.startsWith('k8s.io/'));
        findings.push({
          id: `${C}:${asg.name}:dropped`, check: C, severity: lost.length > 0 ? 'high' : 'low', resource,
          title: lost.length > 0
            ? `ASG ${asg.name} (${what}) lacks ${lost.map((d) => d.key).join(', ')}, and ${asg.tags.length} tags leave no room for ${lost.length === 1 ? 'it' : 'them'} (50 at most): cluster-autoscaler does not discover it`
            : `ASG ${asg.name} (${what}): no room for ${dropped.map((d) => d.key).join(', ')} (50 tags at most); a later removal of a discovery key is recognised only from its CloudTrail event`,
          evidence: { dropped, tagCount: asg.tags.length, limit: 50 },
          fixHint: `Free ${lost.length > 0 ? lost.length : 1} tag slot(s) on ${asg.name}; eks-guardrails then writes ${lost.length > 0 ? 'the discovery keys (all of them or none: cluster-autoscaler needs every key of its discovery flag)' : 'its record'}.`,
        });
      }
    }
    findings.push(...nodegroupHealthFindings(snapshot, C));
    return { findings, actions };
  },
};
