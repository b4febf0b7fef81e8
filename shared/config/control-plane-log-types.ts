/**
 * The control-plane log types EKS can send to CloudWatch Logs, spelled as the API spells them
 * (https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html): what GUARDRAILS_REQUIRED_LOG_TYPES may name.
 */
export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

/**
 * Required unless configured otherwise: who called the API (audit), who authenticated (authenticator) and the
 * API server's own log. controllerManager and scheduler are verbose and billed per GB; require them with
 * GUARDRAILS_REQUIRED_LOG_TYPES=all.
 */
export const DEFAULT_REQUIRED_LOG_TYPES: readonly string[] = ['api', 'audit', 'authenticator'];
