// A neutral Reply as an e-mail: a subject that says what to do, a plain-text part (the shell's
// renderer) and an HTML part built from the same blocks, every string escaped. Buttons become links to
// the bot's HTTP server, made by the caller (they are signed for one person).
import { plainText, type Block, type Inline, type Reply, type RichText } from '../../src/core/reply.ts';
import { escapeHtml } from '../../src/delivery/html.ts';
import { renderText } from '../../src/delivery/plain-text.ts';

/** Subjects past this are cut: long ones are cut by clients anyway, and the words that matter come first. */
const SUBJECT_MAX = 150;

export interface RenderedLink {
  label: string;
  url: string;
  primary: boolean;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface RenderOptions {
  /** The reply's buttons as links (one that asks for a value opens a form). */
  links: RenderedLink[];
  /** Why the recipient gets this, and how to stop it: the footer. */
  footer: string[];
  unsubscribeUrl?: string;
}

/** One line, no control characters: a header value can never be split or forged by a title. */
export function oneLine(value: string): string {
  return value.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').replace(/\s+/g, ' ').trim();
}

/** "A2.2 is due in 6 days — Mapping of good practices": the title says what, the item's name which. */
export function subjectOf(reply: Reply): string {
  const title = reply.title ?? (reply.blocks[0]?.type === 'text' ? plainText(reply.blocks[0].text) : 'partnerbot');
  const subject = oneLine(reply.about ? `${title} — ${reply.about.title}` : title);
  return subject.length > SUBJECT_MAX ? `${subject.slice(0, SUBJECT_MAX - 1)}…` : subject;
}

const isWebUrl = (url: string) => /^https?:\/\/[^\s"<>\\]+$/.test(url);

function inlineHtml(part: Inline): string {
  if (typeof part === 'string') return escapeHtml(part);
  if (part.kind === 'mention') return `<strong>${escapeHtml(part.name)}</strong>`;
  return isWebUrl(part.url) ? `<a href="${escapeHtml(part.url)}">${escapeHtml(part.label)}</a>` : escapeHtml(`${part.label} (${part.url})`);
}

const richHtml = (rich: RichText) => rich.map(inlineHtml).join('').replace(/\n/g, '<br>');

// Colours that read on a white and on a dark background alike: clients that invert or darken the
// page (Outlook, Gmail apps in dark mode) leave them legible, and no image is needed to read anything.
const MUTED = 'color:#6b7280';
const BUTTON = 'display:inline-block;margin:4px 8px 4px 0;padding:8px 16px;border-radius:4px;text-decoration:none;font-weight:600;border:1px solid #1d4ed8';
const PRIMARY = `${BUTTON};background-color:#1d4ed8;color:#ffffff`;
const SECONDARY = `${BUTTON};color:#1d4ed8`;

function blockHtml(block: Block, links: RenderedLink[]): string {
  switch (block.type) {
    case 'text':
      return `<p>${richHtml(block.text)}</p>`;
    case 'context':
      return `<p style="${MUTED};font-size:90%">${richHtml(block.text)}</p>`;
    case 'fields':
      return `<table role="presentation" cellpadding="4">${block.fields.map((f) => `<tr><th align="left" valign="top">${escapeHtml(f.label)}</th><td>${richHtml(f.value)}</td></tr>`).join('')}</table>`;
    case 'list':
      return `${block.title ? `<p><strong>${escapeHtml(block.title)}</strong></p>` : ''}<ul>${block.items.map((i) => `<li>${richHtml(i)}</li>`).join('')}</ul>`;
    case 'buttons':
      return links.length ? `<p>${links.map((l) => `<a href="${escapeHtml(l.url)}" style="${l.primary ? PRIMARY : SECONDARY}">${escapeHtml(l.label)}</a>`).join('')}</p>` : '';
    case 'divider':
      return '<hr>';
  }
}

export function renderEmail(reply: Reply, options: RenderOptions): RenderedEmail {
  const subject = subjectOf(reply);
  const body = reply.blocks.filter((b) => b.type !== 'buttons');
  const linkLines = options.links.map((l) => `${l.label}: ${l.url}`);
  const text = [
    renderText({ ...reply, blocks: body, attachments: [] }),
    ...(linkLines.length ? ['', ...linkLines] : []),
    '',
    '-- ',
    ...options.footer,
    ...(options.unsubscribeUrl ? [`Unsubscribe: ${options.unsubscribeUrl}`] : []),
  ].join('\n');
  const blocks = reply.blocks.map((b) => blockHtml(b, options.links)).join('\n');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:system-ui,-apple-system,'Segoe UI',Arial,sans-serif;font-size:15px;line-height:1.5">
${reply.title ? `<h2 style="font-size:18px">${escapeHtml(oneLine(reply.title))}</h2>` : ''}
${blocks}
<hr>
<p style="${MUTED};font-size:85%">${options.footer.map(escapeHtml).join('<br>')}${options.unsubscribeUrl ? `<br><a href="${escapeHtml(options.unsubscribeUrl)}">Unsubscribe</a>` : ''}</p>
</body></html>`;
  return { subject, text, html };
}
