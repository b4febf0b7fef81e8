import type { Check, CheckOutcome, ClusterSnapshot, Finding, GuardrailsConfig } from '../../types/index.ts';
import { NODE_TEMPLATE_PREFIX, OPT_OUT_TAG, nodegroupAsgs, templateKey, translateEffect } from '../autoscaler/autoscaler-tags.ts';
import { caTemplate, caVersion } from '../autoscaler/ca-template.ts';

import { SCALE_FROM_ZERO_READINESS } from './names.ts';

/**
 * AWS Neuron instance families (Inferentia, Trainium): the Neuron device plugin advertises
 * `aws.amazon.com/neuron` / `neuroncore` / `neurondevice`, which CA's instance table does not know
 * (cloudprovider/aws/ec2_instance_types.go lists them with GPU: 0). https://awsdocs-neuron.readthedocs-hosted.com/en/latest/containers/kubernetes-getting-started.html
 */
const NEURON_FAMILY = /^(inf|trn)\d+[a-z]*\./;
const NEURON_RESOURCES = ['aws.amazon.com/neuron', 'aws.amazon.com/neuroncore', 'aws.amazon.com/neurondevice'];

/**
 * What cluster-autoscaler will get wrong about a group it may have to scale up from zero nodes (ASG minimum 0):
 * it builds a node template from ASG tags and, for managed node groups, from DescribeNodegroup (ca-template.ts),
 * and a pod the real node would take but the template would not (or the reverse) means no scale-up, or a
 * useless one. Report only: the fixes are tags or node group settings a person chooses.
 *
 * Gaps the tag writer (autoscaler-node-template-tags) closes itself — labels, taints with a value, disk size as
 * ephemeral-storage — are its findings, not repeated here. Self-managed groups that advertise no template at all
 * are that check's finding too.
 */
export const scaleFromZeroReadiness: Check = {
  name: SCALE_FROM_ZERO_READINESS,
  description: 'Groups that can scale to zero advertise to cluster-autoscaler what their nodes really offer (extended resources, ephemeral storage, OS, taints, labels).',
  defaultMode: 'report',
  facets: ['nodegroups', 'autoScalingGroups'],
  triggers: ['sweep'],
  run(snapshot: ClusterSnapshot, config: GuardrailsConfig): CheckOutcome {
    const C = SCALE_FROM_ZERO_READINESS;
    const version = caVersion(config.clusterAutoscalerVersion);
    const versionText = `${version.major}.${version.minor}`;
    const findings: Finding[] = [];
    for (const { asg, tags, ownership, nodegroup, nodegroupName, resource } of nodegroupAsgs(snapshot)) {
      // A group a person took out of CA's discovery (a removed key, recorded as an opt-out) is not CA's to scale;
      // `enabled=false` alone is not an opt-out: CA's default discovery matches tag keys, so it still scales it.
      if (asg.minSize !== 0 || tags[OPT_OUT_TAG] !== undefined) continue;
      if (ownership === 'managed' && !nodegroup) continue; // not observed: nothing to compare against
      if (ownership === 'self-managed' && !asg.tags.some((t) => t.key.startsWith(NODE_TEMPLATE_PREFIX))) continue;
      const template = caTemplate(asg.tags, nodegroup, version);
      const what = nodegroupName ? `managed node group ${nodegroupName}` : 'self-managed group';
      const base = { check: C, resource };
      const evidence = { caVersion: versionText, readsEksApi: template.readsApi, minSize: asg.minSize, ownership };
      const push = (detail: string, f: Omit<Finding, 'id' | 'check' | 'resource'>) => findings.push({ id: `${C}:${asg.name}:${detail}`, ...base, ...f });

      // Windows (managed: amiType WINDOWS_*). buildGenericLabels sets kubernetes.io/os=linux for every template.
      if (nodegroup?.amiType?.startsWith('WINDOWS_') && template.labels['kubernetes.io/os'] !== 'windows') {
        push('windows', {
          severity: 'medium',
          title: `ASG ${asg.name} (${what}) runs Windows nodes, but cluster-autoscaler assumes Linux at zero nodes: Windows pods never trigger a scale-up`,
          evidence: { ...evidence, amiType: nodegroup.amiType, templateOs: template.labels['kubernetes.io/os'] },
          fixHint: `Tag ${asg.name} with ${templateKey('label', 'kubernetes.io/os')}=windows (PropagateAtLaunch=false).`,
        });
      }

      // Neuron devices: unknown to CA's instance table, so a pod requesting them never fits the template.
      const neuronTypes = (nodegroup?.instanceTypes ?? []).filter((t) => NEURON_FAMILY.test(t));
      if (neuronTypes.length > 0 && !NEURON_RESOURCES.some((r) => r in template.resources)) {
        push('neuron', {
          severity: 'medium',
          title: `ASG ${asg.name} (${what}) has Neuron instances (${neuronTypes.join(', ')}), but advertises no Neuron resource: pods requesting aws.amazon.com/neuron never trigger a scale-up from zero`,
          evidence: { ...evidence, instanceTypes: nodegroup!.instanceTypes, resources: template.resources },
          fixHint: `Tag ${asg.name} with ${templateKey('resource', 'aws.amazon.com/neuron')}=<devices per instance> (and …/neuroncore if pods request cores)`
            + `${template.readsApi ? ', or tag the node group itself (cluster-autoscaler 1.28+ reads it)' : ''}.`,
        });
      }

      // ephemeral-storage: only where no writer here knows the disk (self-managed, or a launch template's disk).
      const diskKnown = nodegroup?.diskSize !== undefined && nodegroup.diskSize > 0;
      if (!diskKnown && !('ephemeral-storage' in template.resources)) {
        push('ephemeral-storage', {
          severity: 'low',
          title: `ASG ${asg.name} (${what}) advertises no ephemeral-storage: pods that request it never trigger a scale-up from zero`,
          evidence: { ...evidence, diskSize: nodegroup?.diskSize ?? null, resources: template.resources },
          fixHint: `Tag ${asg.name} with ${templateKey('resource', 'ephemeral-storage')}=<root volume size, e.g. 80Gi> (the disk is set in the launch template, which eks-guardrails does not read).`,
        });
      }

      // Valueless taints: DescribeNodegroup's reader skips them, so only an ASG tag `…/taint/<key>=:<Effect>` carries them.
      for (const t of nodegroup?.taints ?? []) {
        if (t.value !== undefined) continue;
        const effect = translateEffect(t.effect);
        if (template.taints.some((x) => x.key === t.key && x.effect === effect)) continue;
        push(`valueless-taint:${t.key}`, {
          severity: 'medium',
          title: `ASG ${asg.name} (${what}): taint ${t.key}:${t.effect} has no value, so cluster-autoscaler does not see it at zero nodes and scales up for pods that cannot run there`,
          evidence: { ...evidence, taint: t, templateTaints: template.taints },
          fixHint: `Tag ${asg.name} with ${templateKey('taint', t.key)}=:${effect ?? '<Effect>'} (autoscaler-node-template-tags writes it when enforcing and the tag budget allows), or give the taint a value.`,
        });
      }

      // ASG label tags the API silently replaces (joinNodeLabelsChoosingUserValuesOverAPIValues: the API wins).
      for (const o of template.overriddenLabels) {
        push(`label-overridden:${o.label}`, {
          severity: 'low',
          title: `ASG ${asg.name} (${what}) tags label ${o.label}=${o.asgValue}, but cluster-autoscaler ${versionText} takes ${o.label}=${o.apiValue} from the EKS API instead`,
          evidence: { ...evidence, label: o.label, asgValue: o.asgValue, apiValue: o.apiValue },
          fixHint: `Set the label on node group ${nodegroupName} (UpdateNodegroupConfig) to the value you mean, and delete ${templateKey('label', o.label)} from ${asg.name}.`,
        });
      }
    }
    return { findings, actions: [] };
  },
};
