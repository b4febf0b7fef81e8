import type { GuardrailsConfig } from '../types/index.ts';
import { parseConfig } from '../config/load.ts';
import { CHECK_NAMES } from './names.ts';

/** The configuration from the environment, validated against every check the product knows. */
export function loadConfig(env: Record<string, string | undefined> = process.env): GuardrailsConfig {
  return parseConfig(env, CHECK_NAMES);
}
