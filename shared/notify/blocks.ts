/**
 * Block Kit building blocks that respect Slack's limits, so a message is never rejected for size:
 * 50 blocks per message, 150 chars per header, 3000 per section text, 2000 per field, 10 fields.
 */
export const LIMITS = { blocks: 50, header: 150, sectionText: 3000, field: 2000, fields: 10, contextElements: 10, buttonText: 75, url: 3000 } as const;

export interface TextObject { type: 'plain_text' | 'mrkdwn'; text: string; emoji?: boolean }
export type Block =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'divider' }
  | { type: 'actions'; elements: { type: 'button'; text: TextObject; url: string; action_id: string }[] };

/** What an incoming webhook takes: `text` is the notification's fallback, `blocks` the message. */
export interface SlackMessage { text: string; blocks: Block[] }

/** Slack's mrkdwn treats &, < and > as control characters. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function header(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, LIMITS.header), emoji: true } };
}

export function section(mrkdwn: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, LIMITS.sectionText) } };
}

export function fields(pairs: [label: string, mrkdwnValue: string][]): Block {
  return {
    type: 'section',
    fields: pairs.slice(0, LIMITS.fields).map(([label, value]) => ({ type: 'mrkdwn', text: truncate(`*${label}*\n${value}`, LIMITS.field) })),
  };
}

export function context(...texts: string[]): Block {
  return { type: 'context', elements: texts.filter(Boolean).slice(0, LIMITS.contextElements).map((t) => ({ type: 'mrkdwn', text: truncate(t, LIMITS.sectionText) })) };
}

export function button(text: string, url: string, actionId: string): Block | undefined {
  if (url.length > LIMITS.url) return undefined;
  return { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText), emoji: true }, url, action_id: actionId }] };
}

/**
 * A titled list in one section: as many lines as fit in a section's 3000 characters (and `maxItems`),
 * then "…and N more" — the count always tells the reader what was left out.
 */
export function listSection(title: string, lines: readonly string[], maxItems = lines.length, total = lines.length): Block {
  // `total` is how many items exist, when `lines` is already a sample of them (a digest's top findings).
  const all = Math.max(total, lines.length);
  const more = (n: number) => `\n…and ${n} more`;
  let text = title;
  let shown = 0;
  for (const line of lines.slice(0, maxItems)) {
    const next = `${text}\n${line}`;
    const rest = all - shown - 1;
    // Keep room for the "…and N more" line whenever something will be left out.
    if (next.length + (rest > 0 ? more(rest).length : 0) > LIMITS.sectionText) break;
    text = next;
    shown++;
  }
  if (shown === 0 && lines.length > 0) {
    text = truncate(`${title}\n${lines[0]}`, LIMITS.sectionText - more(all - 1).length);
    shown = 1;
  }
  if (shown < all) text += more(all - shown);
  return section(text);
}

/** At most 50 blocks: the overflow is replaced by one context block saying how many were dropped. */
export function capBlocks(blocks: readonly Block[]): Block[] {
  if (blocks.length <= LIMITS.blocks) return [...blocks];
  const kept = blocks.slice(0, LIMITS.blocks - 1);
  return [...kept, context(`…and ${blocks.length - kept.length} more blocks`)];
}

/** `text` is the notification's plain words (escaped here: Slack reads it as mrkdwn). */
export function message(text: string, blocks: readonly (Block | undefined)[]): SlackMessage {
  return { text: truncate(esc(text), LIMITS.sectionText), blocks: capBlocks(blocks.filter((b): b is Block => b !== undefined)) };
}
