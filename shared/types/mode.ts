/** How a check acts: `report` plans and shows its fixes, `enforce` applies them. */
export type CheckMode = 'off' | 'report' | 'enforce';
/** Global override: `dry-run` makes zero mutating calls whatever the check modes say. */
export type RunMode = 'enforce' | 'dry-run';
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
