// The form bodies Slack posts to the bot's request URL, as its docs show them: a slash command, a
// button click (block_actions) and a modal's submission (view_submission). One builder each, so every
// Slack test sends the same, complete payloads.
import { payloadBody, slashBody, type FakeSlack } from './fake-slack.ts';
import { LINKED_USER, TEAM } from './setup.ts';

type Json = Record<string, unknown>;

/** What every interaction payload starts with: its type, the workspace, who acted, the app, the trigger. */
const interaction = (type: string, user: string, triggerId: string) => ({
  type,
  team: { id: TEAM, domain: 'partners' },
  user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: TEAM },
  api_app_id: 'A1',
  token: 'legacy',
  trigger_id: triggerId,
});

/** `/partner <text>` typed by `user` in `channel`; the answers go to response_url `id`, the trigger is `trig.<id>`. */
export function slashRequest(fake: FakeSlack, id: string, text: string, { user = LINKED_USER, channel = 'CGENERAL' } = {}): string {
  return slashBody({
    text,
    user_id: user,
    user_name: user.toLowerCase(),
    team_id: TEAM,
    team_domain: 'partners',
    channel_id: channel,
    channel_name: 'general',
    response_url: fake.responseUrl(id),
    trigger_id: `trig.${id}`,
    api_app_id: 'A1',
  });
}

/** A click on `button` of a message in #general; the answers go to response_url `id`, the trigger is `trig.<id>`. */
export function clickRequest(
  fake: FakeSlack,
  id: string,
  button: Json,
  { user = LINKED_USER, isEphemeral = false, messageTs = '1700000000.000100', actionTs = '1700000001.000200' } = {},
): string {
  return payloadBody({
    ...interaction('block_actions', user, `trig.${id}`),
    container: { type: 'message', message_ts: messageTs, channel_id: 'CGENERAL', is_ephemeral: isEphemeral },
    channel: { id: 'CGENERAL', name: 'general' },
    message: { type: 'message', ts: messageTs, text: 'x' },
    response_url: fake.responseUrl(id),
    actions: [{ type: 'button', block_id: 'b1', action_id: button['action_id'], text: button['text'], value: button['value'], action_ts: actionTs }],
  });
}

/** `view` (as the bot opened it) submitted with `values` (Slack's `state.values`: block id → action id → value). */
export function submitRequest(view: Json, values: Json, { user = LINKED_USER, viewId = 'V0001' } = {}): string {
  return payloadBody({
    ...interaction('view_submission', user, `trig.submit.${viewId}`),
    view: { ...view, id: viewId, team_id: TEAM, app_id: 'A1', bot_id: 'BBOT', hash: `1.${viewId}`, state: { values } },
    response_urls: [],
  });
}
