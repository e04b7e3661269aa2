// The pages behind the links in e-mails (src/delivery/action-links.ts): GET shows what the link will
// do and changes nothing (mail scanners and link previews fetch every link), POST does it. The change
// runs as the link's person through Bot.handle, the same parser, permission check and audit as typing
// the command, with platform "email".
import type { ServerResponse } from 'node:http';
import type { Bot, Logger } from '../core/bot.ts';
import { silentLogger } from '../core/bot.ts';
import type { Clock } from '../core/clock.ts';
import type { Reply } from '../core/reply.ts';
import { withOptions } from '../core/command-line.ts';
import { verifyLink, type LinkClaims, type LinkInput, type LinkPurpose } from '../delivery/action-links.ts';
import { escapeHtml } from '../delivery/html.ts';
import { renderText } from '../delivery/plain-text.ts';
import type { HttpServer } from './server.ts';

export const ACTION_LINK_PATH = '/email';

export interface ActionLinkDeps {
  bot: Bot;
  clock: Clock;
  secret: string;
  logger?: Logger;
}

const PATH = /^\/email\/(act|unsubscribe)\/([^/]{1,2000})$/;

const REFUSED = {
  forged: [403, 'This link is not valid', 'It was not made by this bot, or it was changed on the way. Nothing was changed.'],
  expired: [410, 'This link has expired', 'Links in these e-mails work for 14 days. Nothing was changed; use the command in chat, or ask the secretariat.'],
  used: [410, 'This link was used already', 'Each link works once. Nothing more was changed.'],
  wrong: [403, 'This link is not valid', 'Nothing was changed.'],
} as const;

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // The token is in the URL: never hand it to another site.
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
  });
  res.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<meta name="color-scheme" content="light dark"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:2em auto;padding:0 1em}button{font:inherit;padding:.5em 1.2em}pre{white-space:pre-wrap}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`);
}

const para = (text: string) => `<p>${escapeHtml(text)}</p>`;

/** The form fields a link asks for, named as the command's options. */
function fieldHtml(input: LinkInput): string {
  const id = `f-${escapeHtml(input.name)}`;
  const label = `<label for="${id}">${escapeHtml(input.label)}</label><br>`;
  if (input.kind === 'date') return `<p>${label}<input id="${id}" name="${escapeHtml(input.name)}" type="date" required></p>`;
  if (input.kind === 'boolean') return `<p><input id="${id}" name="${escapeHtml(input.name)}" type="checkbox" value="true"> ${label}</p>`;
  // The e-mail lists the items; their ids are typed (a link has no room for the choices).
  if (input.kind === 'choices') return `<p>${label}<input id="${id}" name="${escapeHtml(input.name)}" type="text" maxlength="200" placeholder="ids, e.g. A1.2 A1.O3"></p>`;
  return `<p>${label}<textarea id="${id}" name="${escapeHtml(input.name)}" rows="6" cols="60" maxlength="${FIELD_MAX}" required></textarea></p>`;
}

/** A form field's length limit: far above a state of play, far below the request limit. */
const FIELD_MAX = 4000;

/** The command with the form's values as options; a field the link does not ask for is ignored. */
function commandWithForm(claims: LinkClaims, body: Buffer): string | { problem: string } {
  const form = new URLSearchParams(body.toString('utf8'));
  const values: { name: string; value: string }[] = [];
  for (const input of claims.inputs ?? []) {
    const value = (form.get(input.name) ?? '').trim();
    if (input.kind === 'boolean') values.push({ name: input.name, value: value === 'true' ? 'true' : 'false' });
    else if (input.kind === 'choices') values.push({ name: input.name, value });
    else if (!value) return { problem: `${input.label}: please fill it in.` };
    else if (value.length > FIELD_MAX) return { problem: `${input.label}: at most ${FIELD_MAX} characters.` };
    else values.push({ name: input.name, value });
  }
  return withOptions(claims.command, values);
}

function refuse(res: ServerResponse, why: keyof typeof REFUSED): void {
  const [status, title, text] = REFUSED[why];
  page(res, status, title, para(text));
}

export function registerActionLinkRoutes(http: HttpServer, deps: ActionLinkDeps): void {
  const logger = deps.logger ?? silentLogger;
  const { db } = deps.bot;

  /** The link's claims and person, or a refusal already answered. */
  async function open(purpose: string, token: string, res: ServerResponse): Promise<{ claims: LinkClaims; name: string; partnershipId: string } | null> {
    const verified = verifyLink(deps.secret, token, deps.clock.now());
    if ('problem' in verified) {
      refuse(res, verified.problem);
      return null;
    }
    const { claims } = verified;
    const person = await db.person.findFirst({ where: { id: claims.personId, removedAt: null } });
    if (claims.purpose !== (purpose as LinkPurpose) || !person) {
      refuse(res, 'wrong');
      return null;
    }
    if (claims.purpose === 'act' && (await db.usedActionLink.findUnique({ where: { tokenId: claims.id } }))) {
      refuse(res, 'used');
      return null;
    }
    return { claims, name: person.name, partnershipId: person.partnershipId };
  }

  http.addRoute('GET', PATH, async ({ match }, res) => {
    const opened = await open(match![1]!, match![2]!, res);
    if (!opened) return;
    const { claims, name } = opened;
    const what = claims.purpose === 'unsubscribe' ? `Stop these e-mails for ${name}` : `${claims.label}`;
    page(
      res,
      200,
      what,
      `${para(claims.purpose === 'unsubscribe' ? 'Confirm to stop receiving this kind of e-mail.' : `This will run, as ${name}:`)}
<pre>${escapeHtml(claims.command)}${(claims.inputs ?? []).map((i) => ` --${escapeHtml(i.name)} …`).join('')}</pre>
<form method="post">${(claims.inputs ?? []).map(fieldHtml).join('')}<button type="submit">${escapeHtml(claims.purpose === 'unsubscribe' ? 'Unsubscribe' : `Confirm: ${claims.label}`)}</button></form>
${para('Nothing has been changed yet.')}`,
    );
  });

  http.addRoute('POST', PATH, async ({ match, body }, res) => {
    const opened = await open(match![1]!, match![2]!, res);
    if (!opened) return;
    const { claims, name, partnershipId } = opened;
    // Checked before the link is spent: a form sent incomplete can be sent again.
    const command = commandWithForm(claims, body);
    if (typeof command !== 'string') return page(res, 400, 'Not done', `${para(command.problem)}${para('Go back, fill it in and send it again; nothing was changed.')}`);
    if (claims.purpose === 'act') {
      // Recorded before running: of two clicks racing, one inserts and runs, the other is refused.
      const { count } = await db.usedActionLink.createMany({
        data: [{ tokenId: claims.id, personId: claims.personId, command: claims.command, usedAt: deps.clock.now() }],
        skipDuplicates: true,
      });
      if (count === 0) return refuse(res, 'used');
    }
    // The row above makes an action run once; unsubscribing is idempotent and may be repeated.
    const reply: Reply = await deps.bot.handle({
      platform: 'email',
      workspaceId: 'email',
      userId: claims.personId,
      displayName: name,
      text: command,
      trustedPersonId: claims.personId,
      trustedPartnershipId: partnershipId,
    });
    logger.info('action link followed', { purpose: claims.purpose, command: claims.command, outcome: reply.error ? 'refused' : 'ok' });
    const shown = `<pre>${escapeHtml(renderText(reply))}</pre>`;
    if (!reply.error) return page(res, 200, 'Done', shown);
    // Refused, nothing was changed: the link is not spent, so a value typed wrong can be corrected.
    if (claims.purpose === 'act') await db.usedActionLink.deleteMany({ where: { tokenId: claims.id } });
    page(res, 422, 'Not done', `${shown}${para('Nothing was changed, and the link still works: go back, correct it and send it again.')}`);
  });
}
