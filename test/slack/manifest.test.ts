// The Slack app manifest against what the adapter does: the stand-in refuses any Web API method whose
// scope the manifest does not grant (as Slack answers missing_scope), the App Home lets members get the
// bot's DMs and open its Home tab, and docs/slack.md says what the manifest says.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackApp, type SlackApp } from '../../adapters/slack/app.ts';
import { reply, text } from '../../src/core/reply.ts';
import { FakeSlack } from './fake-slack.ts';
import { METHOD_SCOPES, readManifest } from './scopes.ts';
import { setUp, type Fixture } from './setup.ts';

const manifest = readManifest();
const botScopes = manifest.oauth_config.scopes.bot;

describe('the Slack stand-in enforces scopes like Slack', () => {
  let fake: FakeSlack | undefined;
  let slack: SlackApp | undefined;
  let fx: Fixture | undefined;

  afterEach(async () => {
    await slack?.stop();
    await fx?.database.close();
    await fake?.stop();
    [slack, fx, fake] = [undefined, undefined, undefined];
  });

  it('answers a method whose scope is not granted with missing_scope, needed and provided', async () => {
    fake = new FakeSlack({ botScopes: ['chat:write'] });
    await fake.start();
    const call = (method: string) =>
      fetch(`${fake!.apiUrl}${method}`, { method: 'POST', headers: { authorization: 'Bearer xoxb-t', 'content-type': 'application/json' }, body: '{}' }).then(
        (r) => r.json() as Promise<Record<string, unknown>>,
      );
    expect(await call('files.getUploadURLExternal')).toEqual({ ok: false, error: 'missing_scope', needed: 'files:write', provided: 'chat:write' });
    expect(await call('users.info')).toMatchObject({ ok: false, error: 'missing_scope', needed: 'users:read' });
    expect(await call('chat.postMessage')).toMatchObject({ ok: true });
    expect(await call('auth.test')).toMatchObject({ ok: true });
  });

  it('makes an upload fail when the app lacks files:write, with Slack\'s error in the log', async () => {
    fake = new FakeSlack({ botScopes: botScopes.filter((s) => s !== 'files:write') });
    await fake.start();
    fx = await setUp();
    slack = createSlackApp({ bot: fx.bot, signingSecret: 's', botToken: 'xoxb-scopes', port: 0, slackApiUrl: fake.apiUrl, logger: fx.logger });
    await slack.start();
    const withFile = { ...reply('Calendar', [text('attached')]), attachments: [{ filename: 'a.ics', contentType: 'text/calendar', data: new TextEncoder().encode('BEGIN:VCALENDAR') }] };
    await expect(slack.postMessage('CGENERAL', withFile)).rejects.toThrow(/missing_scope/);
    expect(fake.uploads).toHaveLength(0);
    const logged = fx.log.find((l) => l.level === 'error' && l.data?.['method'] === 'files.uploadV2');
    expect(String(logged?.data?.['error'])).toContain('missing_scope');
  });

  it('hides e-mail addresses from users.info without users:read.email', async () => {
    fake = new FakeSlack({ botScopes: ['users:read'] });
    await fake.start();
    fake.emails.set('UANN', 'ann@example.org');
    const res = await fetch(`${fake.apiUrl}users.info`, { method: 'POST', headers: { authorization: 'Bearer xoxb-t', 'content-type': 'application/json' }, body: '{"user":"UANN"}' });
    const { user } = (await res.json()) as { user: { profile: Record<string, unknown> } };
    expect(user.profile['email']).toBeUndefined();
  });
});

describe('slack/manifest.yml', () => {
  it('grants every scope the adapter\'s Web API methods need (files:write for uploads)', () => {
    for (const [method, scopes] of Object.entries(METHOD_SCOPES)) {
      if (method === 'apps.connections.open' || scopes.length === 0) continue;
      expect(scopes.some((s) => botScopes.includes(s)), `${method} needs one of ${scopes.join(', ')}`).toBe(true);
    }
    expect(botScopes).toContain('files:write');
  });

  it('lets members receive the bot\'s DMs and open its Home tab', () => {
    const home = manifest.features.app_home;
    expect(home.home_tab_enabled).toBe(true);
    // With the Messages tab off, Slack shows members no conversation with the app: reminders sent
    // by DM would be invisible. Read-only, because the bot answers /partner, not typed DMs.
    expect(home.messages_tab_enabled).toBe(true);
    expect(home.messages_tab_read_only_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
  });

  it('is described by docs/slack.md: the same bot scopes, no more and no fewer', () => {
    const doc = readFileSync(new URL('../../docs/slack.md', import.meta.url), 'utf8');
    const listed = /bot scopes \(([^)]*)\)/.exec(doc.replace(/\s+/g, ' '))?.[1] ?? '';
    expect(
      listed
        .split(',')
        .map((s) => s.replace(/`|\band\b/g, '').trim())
        .sort(),
    ).toEqual([...botScopes].sort());
  });
});
