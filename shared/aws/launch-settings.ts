import { paginateDescribeLaunchTemplateVersions } from '@aws-sdk/client-ec2';
import { paginateDescribeLaunchConfigurations } from '@aws-sdk/client-auto-scaling';
import type { ImdsSettings, LaunchSettings, LaunchTemplateRef } from '../types/index.ts';
import { autoscalingClient } from './autoscaling.ts';
import { ec2Client } from './ec2.ts';
import { classifyError, errorCode } from './errors.ts';

/** A deleted template or version (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html). */
const TEMPLATE_GONE = /^InvalidLaunchTemplate(Id|Name)\.(NotFound|NotFoundException|VersionNotFound|Malformed)$/;
/** A role without the read (a member account's older role): recorded, so the check says "could not check". */
const REFUSED = new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException']);
/** DescribeLaunchConfigurations takes at most 50 names a call. */
const LC_NAMES_PER_CALL = 50;

/**
 * The metadata settings of the requested versions of one launch template, in one call (paged): keyed by the
 * version as requested (`$Default`, `$Latest` or a number). Throttling and server errors throw (the sweep
 * retries the cluster); a deleted template or a refused read is recorded for each version.
 */
export async function describeLaunchTemplateSettings(template: Pick<LaunchTemplateRef, 'id' | 'name'>, versions: readonly string[]): Promise<Map<string, LaunchSettings>> {
  const out = new Map<string, LaunchSettings>();
  const wanted = [...new Set(versions)];
  const found: { number?: number; isDefault: boolean; imds: ImdsSettings }[] = [];
  try {
    const input = { ...(template.id ? { LaunchTemplateId: template.id } : { LaunchTemplateName: template.name }), Versions: wanted };
    for await (const page of paginateDescribeLaunchTemplateVersions({ client: ec2Client() }, input)) {
      for (const v of page.LaunchTemplateVersions ?? []) {
        found.push({ number: v.VersionNumber, isDefault: v.DefaultVersion ?? false, imds: imdsSettings(v.LaunchTemplateData?.MetadataOptions) });
      }
    }
  } catch (err) {
    const code = errorCode(err);
    if (!TEMPLATE_GONE.test(code) && !REFUSED.has(code) && classifyError(err) !== 'not-found') throw err;
    for (const v of wanted) out.set(v, { ok: false, errorCode: code, missing: !REFUSED.has(code) });
    return out;
  }
  const latest = Math.max(...found.map((f) => f.number ?? 0));
  for (const v of wanted) {
    const hit = v === '$Default' ? found.find((f) => f.isDefault) : v === '$Latest' ? found.find((f) => f.number === latest) : found.find((f) => String(f.number) === v);
    out.set(v, hit ? { ok: true, imds: hit.imds, versionNumber: hit.number } : { ok: false, errorCode: 'InvalidLaunchTemplateId.VersionNotFound', missing: true });
  }
  return out;
}

/** The metadata settings of launch configurations by name, 50 names a call; a name not returned was deleted. */
export async function describeLaunchConfigurationSettings(names: readonly string[]): Promise<Map<string, LaunchSettings>> {
  const out = new Map<string, LaunchSettings>();
  const unique = [...new Set(names)];
  for (let i = 0; i < unique.length; i += LC_NAMES_PER_CALL) {
    const chunk = unique.slice(i, i + LC_NAMES_PER_CALL);
    try {
      for await (const page of paginateDescribeLaunchConfigurations({ client: autoscalingClient() }, { LaunchConfigurationNames: chunk, MaxRecords: LC_NAMES_PER_CALL })) {
        for (const lc of page.LaunchConfigurations ?? []) {
          if (lc.LaunchConfigurationName) out.set(lc.LaunchConfigurationName, { ok: true, imds: imdsSettings(lc.MetadataOptions) });
        }
      }
    } catch (err) {
      if (!REFUSED.has(errorCode(err))) throw err;
      for (const n of chunk) out.set(n, { ok: false, errorCode: errorCode(err), missing: false });
    }
    for (const n of chunk) if (!out.has(n)) out.set(n, { ok: false, errorCode: 'NotFound', missing: true });
  }
  return out;
}

/** `MetadataOptions` as EC2 (launch template data) and Auto Scaling (launch configuration) both spell them; unset fields left out. */
interface MetadataOptions {
  HttpTokens?: string;
  HttpPutResponseHopLimit?: number;
  HttpEndpoint?: string;
}

function imdsSettings(o: MetadataOptions | undefined): ImdsSettings {
  const s: ImdsSettings = { httpTokens: o?.HttpTokens, httpPutResponseHopLimit: o?.HttpPutResponseHopLimit, httpEndpoint: o?.HttpEndpoint };
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as ImdsSettings;
}
