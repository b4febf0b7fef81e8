import { ConfigError } from '../errors.ts';
import { list } from './env.ts';

/**
 * GUARDRAILS_CLUSTER_ADMIN_ALLOWLIST: IAM role or user ARNs whose access entries may hold cluster-admin
 * access policies without a finding. `*` matches any characters, but only in the name after `role/` or
 * `user/` (`arn:aws:iam::111122223333:role/platform-*`): a pattern can never cover another account or
 * partition, so a typo silences less, not more. Commas separate
 * items, so a name with a comma (IAM allows one) is matched with `*`. Access entries take IAM principals, never STS sessions
 * (https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html).
 */
const PATTERN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):(role|user)\/([\w+=.@\-/*]+)$/;

export function parseClusterAdminAllowlist(raw: string | undefined): string[] {
  return list(raw).map((item) => {
    if (!PATTERN.test(item)) {
      throw new ConfigError(`GUARDRAILS_CLUSTER_ADMIN_ALLOWLIST: "${item}" is not an IAM role or user ARN `
        + '(arn:aws:iam::<12-digit account>:role/<name> or :user/<name>; `*` allowed in the name only)');
    }
    return item;
  });
}

/** Whether an access entry's principal is allow-listed (`*` = any characters, the rest literal). */
export function allowlisted(principalArn: string, allowlist: readonly string[]): boolean {
  return allowlist.some((pattern) => {
    const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return re.test(principalArn);
  });
}
