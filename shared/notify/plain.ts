import { escapeControl } from '../text.ts';
import type { Block, SlackMessage } from './blocks.ts';

/**
 * Slack mrkdwn → plain text (terminal preview) or Markdown (Amazon Q Developer's `client-markdown`):
 * `<url|text>` links, `*bold*`, and the &amp; escapes.
 */
export function fromMrkdwn(text: string, target: 'terminal' | 'markdown'): string {
  const linked = text.replace(/<([^|>]+)\|([^>]+)>/g, (_, url: string, label: string) => (target === 'markdown' ? `[${label}](${url})` : label));
  const bold = target === 'markdown' ? linked.replace(/(^|[\s(])\*([^*\n]+)\*/g, '$1**$2**') : linked.replace(/(^|[\s(])\*([^*\n]+)\*/g, '$1$2');
  return bold.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function blockLines(block: Block, target: 'terminal' | 'markdown'): string[] {
  switch (block.type) {
    case 'header': return [target === 'markdown' ? `### ${block.text.text}` : block.text.text];
    case 'section': {
      const out: string[] = [];
      if (block.text) out.push(...fromMrkdwn(block.text.text, target).split('\n'));
      for (const f of block.fields ?? []) out.push(fromMrkdwn(f.text, target).replace('\n', ': '));
      return out;
    }
    case 'context': return [block.elements.map((e) => fromMrkdwn(e.text, target)).join('  ')];
    case 'divider': return ['—'];
    case 'actions': return block.elements.map((b) => (target === 'markdown' ? `[${b.text.text}](${b.url})` : `[${b.text.text}] ${b.url}`));
  }
}

/** A message as a person would read it in Slack, for a terminal: line by line, control characters escaped. */
export function previewMessage(msg: SlackMessage): string {
  return msg.blocks.flatMap((b) => blockLines(b, 'terminal')).flatMap((l) => l.split('\n')).map(escapeControl).join('\n');
}
