/** How the engine treats an AWS error: duplicates and not-founds are answers, throttling retries, the rest fails closed. */
export type ErrorClass = 'duplicate' | 'not-found' | 'retryable' | 'fatal';

const DUPLICATE = new Set(['InvalidPermission.Duplicate', 'AlreadyExists', 'ResourceInUseException']);
const NOT_FOUND = new Set([
  'InvalidPermission.NotFound',
  'InvalidGroup.NotFound',
  'InvalidSecurityGroupRuleId.NotFound',
  'InvalidGroupId.Malformed',
  'ResourceNotFoundException',
  'LoadBalancerNotFound',
  'LoadBalancerNotFoundException',
  'InvalidVpcID.NotFound',
  'NoSuchEntity',
  'NoSuchEntityException',
]);
const RETRYABLE = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalError',
  'InternalFailure',
  'InternalServiceError',
  'ServerException',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'TimeoutError']);

export function errorCode(err: unknown): string {
  if (!err || typeof err !== 'object') return 'Unknown';
  const e = err as { name?: string; Code?: string; code?: string };
  return e.Code ?? e.name ?? e.code ?? 'Unknown';
}

/** Strips EC2's `Client.` / `Server.` prefix as it appears in CloudTrail's errorCode. */
export function bareErrorCode(code: string): string {
  return code.replace(/^(Client|Server)\./, '');
}

export function classifyError(err: unknown): ErrorClass {
  const code = bareErrorCode(errorCode(err));
  if (DUPLICATE.has(code)) return 'duplicate';
  if (NOT_FOUND.has(code)) return 'not-found';
  if (RETRYABLE.has(code) || NETWORK.has(code)) return 'retryable';
  const status = (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return 'retryable';
  const sysCode = (err as { code?: string })?.code;
  if (sysCode && NETWORK.has(sysCode)) return 'retryable';
  return 'fatal';
}
