import { getSecretString } from '../aws/secrets.ts';
import { GuardrailsError } from '../errors.ts';
import { ContainerCache } from '../state/cache.ts';

/**
 * The Slack webhook URL, by secret ARN, read from Secrets Manager once per container and kept for 10 minutes:
 * a rotated secret is picked up within that, or at once after Slack rejects the old URL (forgotten then, see
 * ./flow.ts). One secret per deployment, so one entry. The URL is a credential: it is returned to the sender
 * and nowhere else — never logged, never put in an error or an event.
 */
export const webhookUrls = new ContainerCache<string, URL>({ name: 'Slack webhook URL', ttlMs: 10 * 60_000, maxEntries: 1 });

export async function webhookUrl(secretArn: string, now = Date.now()): Promise<URL> {
  const cached = webhookUrls.get(secretArn, now);
  if (cached) return cached;
  const url = parseWebhook(await getSecretString(secretArn), secretArn);
  webhookUrls.set(secretArn, url, now);
  return url;
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
