import { ConfigError } from '../errors.ts';

/** Readers for environment variables: a bad value fails loudly with the variable's name, never falls back. */

export function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

export function list(v: string | undefined): string[] {
  return (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

export function bool(name: string, v: string | undefined, fallback: boolean): boolean {
  const t = nonEmpty(v)?.toLowerCase();
  if (t === undefined) return fallback;
  if (['true', '1', 'yes', 'on'].includes(t)) return true;
  if (['false', '0', 'no', 'off'].includes(t)) return false;
  throw new ConfigError(`${name} must be true or false, got "${v}"`);
}

export function int(name: string, v: string | undefined, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const t = nonEmpty(v);
  if (t === undefined) return fallback;
  const n = Number(t);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(max === Number.MAX_SAFE_INTEGER
      ? `${name} must be a whole number ≥ ${min}, got "${v}"`
      : `${name} must be a whole number from ${min} to ${max}, got "${v}"`);
  }
  return n;
}

export function oneOf<T extends string>(name: string, v: string | undefined, allowed: readonly T[], fallback: T): T {
  const t = nonEmpty(v)?.toLowerCase();
  if (t === undefined) return fallback;
  if ((allowed as readonly string[]).includes(t)) return t as T;
  throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${v}"`);
}
