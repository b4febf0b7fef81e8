/**
 * The role name in a role ARN (`arn:aws:iam::<acct>:role/<path/>Name`) or an assumed-role ARN
 * (`arn:aws:sts::<acct>:assumed-role/Name/<session>`). A bare name is returned as it is; any other ARN
 * has no role name (''). One parser, so the IAM facet, the IAM check and the own-change filter agree.
 */
export function roleNameOf(arnOrName: string): string {
  if (!arnOrName.startsWith('arn:')) return arnOrName;
  const resource = arnOrName.split(':').slice(5).join(':');
  if (resource.startsWith('assumed-role/')) return resource.split('/')[1] ?? '';
  if (resource.startsWith('role/')) return resource.split('/').pop() ?? '';
  return '';
}
