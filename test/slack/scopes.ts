// What Slack requires before it answers a Web API method, from each method's "Scopes" facts in
// Slack's method documentation (docs.slack.dev/reference/methods/<method>), and what the app is
// granted: the bot scopes of slack/manifest.yml. The stand-in refuses a call the way Slack does, so
// a method the adapter starts using without adding its scope to the manifest fails the tests.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * Method → the bot-token scopes that allow it (any one of them suffices; empty: no scope needed).
 * Only methods listed here are answered by the stand-in: a new method needs its line, with its scope.
 */
export const METHOD_SCOPES: Readonly<Record<string, readonly string[]>> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  // Opening a 1:1 DM needs im:write; the others open channels, private channels and group DMs.
  'conversations.open': ['im:write', 'channels:manage', 'groups:write', 'mpim:write'],
  'users.info': ['users:read'],
  'views.open': [],
  'views.publish': [],
  // files.uploadV2 in @slack/web-api is these two calls around the upload itself.
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  // Called with the app-level token (xapp-…), whose only scope is connections:write.
  'apps.connections.open': ['connections:write'],
};

/** users.info includes profile.email only with this scope besides users:read. */
export const EMAIL_SCOPE = 'users:read.email';

/** The scopes an app-level token is generated with in docs/slack.md ("connections:write"). */
export const APP_TOKEN_SCOPES = ['connections:write'];

export interface SlackManifest {
  features: {
    app_home: { home_tab_enabled?: boolean; messages_tab_enabled?: boolean; messages_tab_read_only_enabled?: boolean };
    slash_commands: { command: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] } };
}

export const MANIFEST_PATH = new URL('../../slack/manifest.yml', import.meta.url);

export function readManifest(path: URL | string = MANIFEST_PATH): SlackManifest {
  return parse(readFileSync(path, 'utf8')) as SlackManifest;
}

/** Slack's refusal of a call whose token lacks the method's scope, or undefined when it may proceed. */
export function missingScope(method: string, provided: readonly string[]): { ok: false; error: 'missing_scope'; needed: string; provided: string } | undefined {
  const allowed = METHOD_SCOPES[method];
  if (!allowed || allowed.length === 0 || allowed.some((s) => provided.includes(s))) return undefined;
  return { ok: false, error: 'missing_scope', needed: allowed[0]!, provided: provided.join(',') };
}
