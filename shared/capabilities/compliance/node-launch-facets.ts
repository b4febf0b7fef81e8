import type { FacetLoader, AutoScalingGroupState, LaunchSettings, LaunchTemplateRef, NodeLaunchFacet, NodeLaunchHints } from '../../types/index.ts';
import { EXTRA_NODE_LAUNCH } from '../../types/index.ts';
import { describeLaunchConfigurationSettings, describeLaunchTemplateSettings } from '../../aws/launch-settings.ts';
import { asgSources, nodeLaunchOwners, type LaunchSource } from './node-imds-hardening.ts';

/**
 * Reads the launch settings the sources name and are not in the caches yet: one DescribeLaunchTemplateVersions
 * per distinct template (all its versions in that call) and one DescribeLaunchConfigurations per 50 names.
 */
export async function readLaunchSettings(sources: readonly LaunchSource[], templates: Map<string, LaunchSettings>, configurations: Map<string, LaunchSettings>): Promise<void> {
  const byTemplate = new Map<string, { ref: LaunchTemplateRef; versions: Set<string> }>();
  for (const s of sources) {
    if (s.kind !== 'launch-template' || templates.has(s.key)) continue;
    const t = s.ref.id ?? `name:${s.ref.name}`;
    const entry = byTemplate.get(t) ?? { ref: s.ref, versions: new Set<string>() };
    entry.versions.add(s.ref.version ?? '$Default');
    byTemplate.set(t, entry);
  }
  for (const { ref, versions } of byTemplate.values()) {
    for (const [version, settings] of await describeLaunchTemplateSettings(ref, [...versions])) {
      templates.set(`${ref.id ?? `name:${ref.name}`}@${version}`, settings);
    }
  }
  const names = [...new Set(sources.flatMap((s) => (s.kind === 'launch-configuration' && !configurations.has(s.name) ? [s.name] : [])))];
  if (names.length > 0) for (const [name, settings] of await describeLaunchConfigurationSettings(names)) configurations.set(name, settings);
}

/** Account-wide: the launch settings of every ASG the sweep prefetched, read once for all clusters. */
export async function prefetchNodeLaunchSettings(asgs: readonly AutoScalingGroupState[]): Promise<Required<NodeLaunchHints>> {
  const templates = new Map<string, LaunchSettings>();
  const configurations = new Map<string, LaunchSettings>();
  await readLaunchSettings(asgs.flatMap(asgSources), templates, configurations);
  return { launchTemplateSettings: templates, launchConfigurationSettings: configurations };
}

/** The cluster's node launch settings, from the sweep's caches where they hold them (and added to them). */
export const nodeLaunchSettings: FacetLoader = async (snapshot, hints) => {
  const cache = (hints.extra ?? {}) as NodeLaunchHints;
  const templates = hints.extra ? (cache.launchTemplateSettings ??= new Map()) : new Map<string, LaunchSettings>();
  const configurations = hints.extra ? (cache.launchConfigurationSettings ??= new Map()) : new Map<string, LaunchSettings>();
  const sources = nodeLaunchOwners(snapshot).flatMap((o) => o.sources);
  await readLaunchSettings(sources, templates, configurations);
  const facet: NodeLaunchFacet = { templates: {}, launchConfigurations: {} };
  for (const s of sources) {
    if (s.kind === 'launch-template' && templates.has(s.key)) facet.templates[s.key] = templates.get(s.key)!;
    if (s.kind === 'launch-configuration' && configurations.has(s.name)) facet.launchConfigurations[s.name] = configurations.get(s.name)!;
  }
  snapshot.extra[EXTRA_NODE_LAUNCH] = facet;
};
