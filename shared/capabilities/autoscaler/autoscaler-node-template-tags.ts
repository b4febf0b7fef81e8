import type { Action, Check, CheckOutcome, ClusterSnapshot, Finding, GuardrailsConfig } from '../../types/index.ts';
import {
  MANAGED_KEYS_TAG, NODE_TEMPLATE_PREFIX, desiredNodeTemplateTags, isMarkerKey, nodegroupAsgs, planTemplateTags,
} from './autoscaler-tags.ts';
import { planDiscovery, tagDeletionsOf } from './autoscaler-opt-outs.ts';
import { caVersion, osLabelOf, tagsCaNeeds } from './ca-template.ts';

import { AUTOSCALER_NODE_TEMPLATE_TAGS } from './names.ts';

/**
 * Managed node groups advertise their labels, taints and disk size to cluster-autoscaler as ASG
 * node-template tags, so CA can scale them up from zero. Kept in sync both ways, but only for the tags
 * eks-guardrails recorded as its own (MANAGED_KEYS_TAG): a tag a person wrote is never changed.
 * Self-managed groups at minSize 0 without template tags are reported (their labels are unknowable here).
 * A group opted out of CA discovery keeps its template in sync too: tags we wrote and a person deleted are
 * written again (a wrong template makes CA scale badly once the group is back, or while `enabled=false` is
 * ignored by CA's key-only discovery).
 */
export const autoscalerNodeTemplateTags: Check = {
  name: AUTOSCALER_NODE_TEMPLATE_TAGS,
  description: 'Managed node group ASGs carry node-template tags for their labels, taints and disk size (cluster-autoscaler scale-from-zero).',
  defaultMode: 'enforce',
  facets: ['nodegroups', 'autoScalingGroups'],
  run(snapshot: ClusterSnapshot, config: GuardrailsConfig): CheckOutcome {
    const findings: Finding[] = [];
    const actions: Action[] = [];
    const cluster = snapshot.cluster.name;
    const C = AUTOSCALER_NODE_TEMPLATE_TAGS;
    for (const { asg, tags, ownership, nodegroup, nodegroupName, resource } of nodegroupAsgs(snapshot)) {
      // The same discovery plan the discovery check makes: its new tags are reserved in the 50-tag budget.
      const discovery = planDiscovery(tags, cluster, ownership, tagDeletionsOf(snapshot, asg.name));
      if (ownership === 'self-managed') {
        const hasTemplate = asg.tags.some((t) => t.key.startsWith(NODE_TEMPLATE_PREFIX));
        const outOfCa = discovery.optedOut.length > 0 || discovery.enabledFalse;
        if (asg.minSize === 0 && !hasTemplate && !outOfCa) {
          findings.push({
            id: `${C}:${asg.name}:self-managed-scale-from-zero`, check: C, severity: 'medium', resource,
            title: `Self-managed ASG ${asg.name} can scale to zero but advertises no node template to cluster-autoscaler`,
            evidence: { ownership, minSize: asg.minSize, maxSize: asg.maxSize, desiredCapacity: asg.desiredCapacity },
            fixHint: `Add k8s.io/cluster-autoscaler/node-template/label/<label>=<value> and …/taint/<key>=<value>:<Effect> tags matching the nodes' kubelet labels and taints; eks-guardrails cannot know them for self-managed groups.`,
          });
        }
        continue;
      }
      // Managed, but its node group was not observed (a narrowed run): nothing to compare against.
      if (!nodegroup) continue;

      const desired = desiredNodeTemplateTags(nodegroup);
      // Only what the configured cluster-autoscaler cannot read from DescribeNodegroup (ca-template.ts): the rest
      // only spends the 50-tag budget. A person's tag for what the API gives is not "foreign" either.
      const version = caVersion(config.clusterAutoscalerVersion);
      const explained = new Set(desired.tags.map((t) => t.key));
      desired.tags = tagsCaNeeds(desired.tags, nodegroup, version, tags);
      desired.dropped = tagsCaNeeds(desired.dropped, nodegroup, version, tags);
      for (const t of desired.tags) explained.delete(t.key);
      const os = osLabelOf(nodegroup);
      if (os && tags[`${NODE_TEMPLATE_PREFIX}label/kubernetes.io/os`] === os) explained.add(`${NODE_TEMPLATE_PREFIX}label/kubernetes.io/os`);
      const plan = planTemplateTags(asg.tags, desired.tags, discovery.newSlots);
      plan.foreign = plan.foreign.filter((f) => !explained.has(f.key));
      const dropped = [...desired.dropped, ...plan.dropped];
      const id = `${C}:${asg.name}`;
      const what = `managed node group ${nodegroupName}`;

      if (plan.put.length > 0 || plan.remove.length > 0) {
        const templatePut = plan.put.filter((t) => !isMarkerKey(t.key));
        const templateRemove = plan.remove.filter((k) => !isMarkerKey(k));
        const parts = [
          templatePut.length ? `${templatePut.length} node-template tag(s) to write` : '',
          templateRemove.length ? `${templateRemove.length} stale one(s) we wrote to remove` : '',
        ].filter(Boolean);
        findings.push({
          id, check: C, severity: templatePut.length || templateRemove.length ? 'medium' : 'info', resource,
          title: parts.length
            ? `ASG ${asg.name} (${what}) does not advertise the node group's labels/taints to cluster-autoscaler: ${parts.join(', ')}`
            : `ASG ${asg.name} (${what}): eks-guardrails records which node-template tags it manages in ${MANAGED_KEYS_TAG}`,
          evidence: {
            nodegroup: nodegroupName, labels: nodegroup.labels, taints: nodegroup.taints, diskSize: nodegroup.diskSize,
            write: templatePut.map((t) => `${t.key}=${t.value}`), remove: templateRemove, managedAfter: plan.managed,
          },
          fixHint: `Tag ${asg.name} with the node-template tags (PropagateAtLaunch=false) so cluster-autoscaler can scale ${nodegroupName} from zero.`,
        });
        // Remove first: it frees slots under the 50-tag limit, and if it fails for good the key stays
        // recorded nowhere (the TagAsg below rewrites the record) — we fail towards leaving a tag, never deleting one.
        if (plan.remove.length > 0) {
          actions.push({
            kind: 'UntagAsg', check: C, findingId: id, asgName: asg.name, keys: plan.remove,
            summary: `Remove ${templateRemove.length ? templateRemove.join(', ') : 'our bookkeeping tag'} from ASG ${asg.name}${templateRemove.length ? ' (no longer on the node group, written by eks-guardrails)' : ''}`,
            before: Object.fromEntries(plan.remove.map((k) => [k, tags[k] ?? null])),
            after: Object.fromEntries(plan.remove.map((k) => [k, null])),
          });
        }
        if (plan.put.length > 0) {
          actions.push({
            kind: 'TagAsg', check: C, findingId: id, asgName: asg.name, tags: plan.put,
            summary: templatePut.length
              ? `Tag ASG ${asg.name} with ${templatePut.map((t) => `${t.key}=${t.value}`).join(', ')}`
              : `Update ${MANAGED_KEYS_TAG} on ASG ${asg.name}`,
            before: Object.fromEntries(plan.put.map((t) => [t.key, tags[t.key] ?? null])),
            after: Object.fromEntries(plan.put.map((t) => [t.key, t.value])),
          });
        }
      }
      if (dropped.length > 0) {
        findings.push({
          id: `${id}:dropped`, check: C, severity: 'medium', resource,
          title: `ASG ${asg.name} (${what}): ${dropped.length} node-template tag(s) could not be written (${[...new Set(dropped.map((d) => d.reason))].join(', ')})`,
          evidence: { dropped: dropped.map((d) => ({ key: d.key, value: d.value, source: d.source, reason: d.reason })), tagCount: asg.tags.length, limit: 50 },
          fixHint: 'Free tag slots on the ASG (50 at most) or shorten labels/taints; priority when short: discovery > taints > labels > resources.',
        });
      }
      for (const c of plan.conflicts) {
        findings.push({
          id: `${id}:conflict:${c.key}`, check: C, severity: 'low', resource,
          title: `ASG ${asg.name} has ${c.key}=${c.current}, but the node group's ${c.source} means ${c.desired}; not written by eks-guardrails, left alone`,
          evidence: c,
          fixHint: `Set ${c.key} to ${c.desired} (or delete it and eks-guardrails will write and manage it).`,
        });
      }
      for (const f of plan.foreign) {
        findings.push({
          id: `${id}:foreign:${f.key}`, check: C, severity: 'low', resource,
          title: `ASG ${asg.name} has ${f.key}=${f.value}: ${f.why}; not written by eks-guardrails, left alone`,
          evidence: f,
          fixHint: `Delete or correct ${f.key} on ${asg.name} so cluster-autoscaler's node template matches the node group.`,
        });
      }
    }
    return { findings, actions };
  },
};
