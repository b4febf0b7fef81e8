/**
 * The names of this capability's checks, apart from the checks themselves: configuration and exemption tags
 * are read against every name in every function, also where these checks are not loaded (../names.ts).
 */
export const NLB_RULE_HEADROOM = 'nlb-rule-headroom';

export const NLB_HEADROOM_CHECKS = [NLB_RULE_HEADROOM] as const;
