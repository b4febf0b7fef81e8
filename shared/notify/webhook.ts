import { getSecretString } from '../aws/secrets.ts';
import { GuardrailsError } from '../errors.ts';

/**
 * The Slack webhook URL, read from Secrets Manager once per container and kept for a while
 * (rotation is picked up after CACHE_MS, or at once after Slack rejects the old URL).
 * The URL is a credential: it is returned to the sender and nowhere else — never logged,
 * never put in an error or an event.
 */
const CACHE_MS = 10 * 60_000;
let cached: { secretArn: string; url: URL; at: number } | undefined;

export async function webhookUrl(secretArn: string, now = Date.now()): Promise<URL> {
  if (cached && cached.secretArn === secretArn && now - cached.at < CACHE_MS) return cached.url;
  const url = parseWebhook(await getSecretString(secretArn), secretArn);
  cached = { secretArn, url, at: now };
  return url;
}

/** After Slack rejects the URL (revoked, deleted channel) the next event re-reads the secret. */
export function forgetWebhook(): void {
  cached = undefined;
}

/** A plain URL, or JSON `{"url": …}` / `{"webhookUrl": …}` / `{"webhook_url": …}`. */
export function parseWebhook(value: string, secretArn: string): URL {
  let text = value.trim();
  if (text.startsWith('{')) {
    try {
      const obj = JSON.parse(text) as Record<string, unknown>;
      const found = [obj.url, obj.webhookUrl, obj.webhook_url].find((v) => typeof v === 'string');
      text = typeof found === 'string' ? found.trim() : '';
    } catch {
      text = '';
    }
  }
  const invalid = () => new GuardrailsError('InvalidSecret', `secret ${secretArn} does not hold a Slack webhook URL (expected https://hooks.slack.com/… or JSON {"url": …})`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid();
  }
  // Plain http only to this machine (a local sink for tests and the demo): a webhook crosses the internet over TLS.
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw invalid();
  return url;
}
