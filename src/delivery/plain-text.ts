// The neutral reply as plain terminal text: what the shell prints, and the fallback text elsewhere.
import { plainText, type Block, type Reply } from '../core/reply.ts';

function renderBlock(block: Block): string {
  switch (block.type) {
    case 'text':
      return plainText(block.text);
    case 'context':
      return `  (${plainText(block.text)})`;
    case 'fields':
      return block.fields
        .map((f) => {
          const value = plainText(f.value);
          return value.includes('\n') ? `${f.label}:\n${value.replace(/^/gm, '  ')}` : `${f.label}: ${value}`;
        })
        .join('\n');
    case 'list':
      return [block.title ? `${block.title}:` : null, ...block.items.map((i) => `  • ${plainText(i)}`)].filter((l) => l !== null).join('\n');
    case 'buttons':
      return `  [${block.buttons.map((b) => `${b.label}: "${b.command}"`).join('] [')}]`;
    case 'divider':
      return '—'.repeat(40);
  }
}

export function renderText(reply: Reply): string {
  const lines: string[] = [];
  if (reply.title) lines.push(reply.error ? `✗ ${reply.title}` : `== ${reply.title} ==`);
  for (const block of reply.blocks) lines.push(renderBlock(block));
  if (reply.error && !reply.title && lines.length) lines[0] = `✗ ${lines[0]}`;
  for (const a of reply.attachments ?? []) lines.push(`[attachment ${a.filename}]`);
  return lines.join('\n');
}
