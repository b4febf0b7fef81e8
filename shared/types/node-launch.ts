/**
 * What node-imds-hardening reads: the instance metadata settings of the launch templates and launch
 * configurations a cluster's nodes start from (plain data, no SDK types), kept in `snapshot.extra`.
 */

/** `snapshot.extra` key written by the node launch settings loader. */
export const EXTRA_NODE_LAUNCH = 'nodeLaunch';

/** `MetadataOptions` of a launch template version or a launch configuration; absent = not set there. */
export interface ImdsSettings {
  /** `required` (IMDSv2 only) or `optional` (IMDSv1 too). */
  httpTokens?: string;
  httpPutResponseHopLimit?: number;
  /** `enabled` or `disabled` (no metadata service at all). */
  httpEndpoint?: string;
}

/** One launch source's settings, or why they could not be read (`missing`: deleted). */
export type LaunchSettings =
  | { ok: true; imds: ImdsSettings; /** The version a `$Default` / `$Latest` resolved to. */ versionNumber?: number }
  | { ok: false; errorCode: string; missing: boolean };

export interface NodeLaunchFacet {
  /** By `launchTemplateKey(ref)` (template id or name, and version). */
  templates: Record<string, LaunchSettings>;
  /** By launch configuration name. */
  launchConfigurations: Record<string, LaunchSettings>;
}

/** The sweep's caches (in `ObserveHints.extra`): a template shared by 40 node groups is read once. */
export interface NodeLaunchHints {
  launchTemplateSettings?: Map<string, LaunchSettings>;
  launchConfigurationSettings?: Map<string, LaunchSettings>;
}
