import type { AsgTag, Direction, SgRule } from './aws.ts';

/** Actions are data: the executor runs them, dry-run prints them, Slack shows them. */
interface ActionBase {
  check: string;
  findingId: string;
  /** One human sentence: what will change. */
  summary: string;
  before: unknown;
  after: unknown;
}

export interface AuthorizeRulesAction extends ActionBase {
  kind: 'AuthorizeRules';
  groupId: string;
  direction: Direction;
  rules: SgRule[];
}

export interface RevokeRulesAction extends ActionBase {
  kind: 'RevokeRules';
  groupId: string;
  direction: Direction;
  /** Revoked by id, in one call per group; the executor re-describes right before revoking. */
  ruleIds: string[];
  /** Rules as they were planned: the executor revokes only ids still matching these. */
  rules: SgRule[];
}

/** Tags security-group rules (the NLB trimmer's "first seen stale" mark), in one call per group. */
export interface TagSecurityGroupRulesAction extends ActionBase {
  kind: 'TagSecurityGroupRules';
  groupId: string;
  ruleIds: string[];
  tags: Record<string, string>;
}

export interface UntagSecurityGroupRulesAction extends ActionBase {
  kind: 'UntagSecurityGroupRules';
  groupId: string;
  ruleIds: string[];
  keys: string[];
}

export interface TagAsgAction extends ActionBase {
  kind: 'TagAsg';
  asgName: string;
  tags: AsgTag[];
}

export interface UntagAsgAction extends ActionBase {
  kind: 'UntagAsg';
  asgName: string;
  keys: string[];
}

/** Turns on control-plane log types (never off): the executor re-reads the cluster and sends only what is still off. */
export interface EnableClusterLoggingAction extends ActionBase {
  kind: 'EnableClusterLogging';
  clusterName: string;
  types: string[];
}

export type Action = AuthorizeRulesAction | RevokeRulesAction | TagAsgAction | UntagAsgAction | EnableClusterLoggingAction | TagSecurityGroupRulesAction | UntagSecurityGroupRulesAction;
export type ActionKind = Action['kind'];

export type ActionStatus = 'applied' | 'planned' | 'skipped' | 'failed';

export interface ActionResult {
  action: Action;
  status: ActionStatus;
  /** Why skipped or failed, in words (never a secret). */
  reason?: string;
  /** AWS calls the executor made for this action. */
  calls?: number;
}
