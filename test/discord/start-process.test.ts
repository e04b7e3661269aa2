// The real `partnerbot start` process against the local Discord stand-in, reached through
// DISCORD_API_URL: it logs in over the stand-in's gateway, reports Discord ready, answers a slash
// command, and leaves cleanly on SIGTERM.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnPartnerbot, type RunningPartnerbot } from '../support/partnerbot-process.ts';
import { APP_ID, chatInput, FakeDiscord } from './fake-discord.ts';

const dir = mkdtempSync(join(tmpdir(), 'partnerbot-discord-start-'));
const fake = new FakeDiscord();
const VISITOR = { id: '1500000000000000009', username: 'visitor', global_name: 'Visitor' };
let bot: RunningPartnerbot;

beforeAll(async () => {
  await fake.start();
  bot = spawnPartnerbot(['start'], {
    PARTNERBOT_DATA_DIR: join(dir, 'data'),
    PARTNERBOT_HTTP_PORT: '0',
    PARTNERBOT_HTTP_HOST: '127.0.0.1',
    PARTNERBOT_OPS_PORT: '0',
    DISCORD_TOKEN: 'fake-process-token',
    DISCORD_APPLICATION_ID: APP_ID,
    DISCORD_API_URL: fake.api,
  });
  await bot.logged('partnerbot running', 90_000);
}, 120_000);

afterAll(async () => {
  await bot?.stop();
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('partnerbot start with DISCORD_API_URL pointing at a stand-in', { timeout: 60_000 }, () => {
  it('logs in with the configured token over the stand-in gateway and is ready', async () => {
    expect(fake.gatewayPayloads.find((p) => p.op === 2)?.d.token).toBe('fake-process-token');
    const ready = await fetch(`http://127.0.0.1:${bot.portOf('ops')}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: Record<string, { ok: boolean }> }).checks.discord?.ok).toBe(true);
  });

  it('answers a slash command through the stand-in REST API', async () => {
    const interaction = chatInput(VISITOR, ['partner', 'help']);
    fake.dispatch('INTERACTION_CREATE', interaction);
    const callback = await fake.waitFor((r) => r.path === `/interactions/${interaction.id}/${interaction.token}/callback`, 30_000);
    expect(callback.status).toBeLessThan(300);
    expect(JSON.stringify(callback.body.data)).toContain('milestone');
  });

  it('exits 0 on SIGTERM, and its log never shows the token', async () => {
    expect(await bot.stop()).toBe(0);
    expect(JSON.stringify(bot.logs)).not.toContain('fake-process-token');
  });
});
