export type * from './aws.ts';
export type * from './action.ts';
export type * from './check.ts';
export type * from './config.ts';
export type * from './snapshot.ts';
export type * from './trigger.ts';
export { SEVERITIES } from './check.ts';
