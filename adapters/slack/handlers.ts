// Slack's four ways in — the /partner command, a button click, a modal submission and opening the
// App Home — all end in Bot.handle. Each acknowledges first: Slack gives up after 3 seconds, and a
// command may take longer than that.
import type { App, BlockAction, ButtonAction, RespondArguments } from '@slack/bolt';
import type { Bot, Invocation, Logger } from '../../src/core/bot.ts';
import type { ButtonInput, Reply } from '../../src/core/reply.ts';
import { converse, type ChannelPoster } from '../../src/delivery/conversation.ts';
import { commandWithInputs } from './inputs.ts';
import { errorMessage } from './logger.ts';
import type { Outbound } from './outbound.ts';
import { decodeButtonValue, renderInputsModal, renderReply, type SlackMessage } from './render.ts';

type Send = (message: RespondArguments) => Promise<unknown>;
type Placement = 'new' | 'replace';

/** Slack accepts at most five answers per response_url. */
const MAX_RESPONSES = 5;

/** What a modal must remember of the click that opened it (Slack hands it back on submission). */
interface ModalMeta {
  command: string;
  inputs: ButtonInput[];
  channelId?: string;
  /** Absent when the click came from the App Home, which has no response_url. */
  responseUrl?: string;
  fromEphemeral: boolean;
}

function tooLong(total: number): SlackMessage {
  const text = `This answer needs ${total} messages, more than Slack lets a command send; the first ${MAX_RESPONSES - 1} are above. Ask for less, e.g. one Action at a time.`;
  return { text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }] };
}

/**
 * A click replaces the message it came from, so a list updates in place. Errors and private answers
 * to a public message come as a new ephemeral message instead: they are for the clicker only, and
 * the original stays for everyone else.
 */
function placementFor(reply: Reply, fromEphemeral: boolean): Placement {
  return !reply.error && (!reply.ephemeral || fromEphemeral) ? 'replace' : 'new';
}

function responseUrlSender(url: string): Send {
  return async (message) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) });
    if (!res.ok) throw new Error(`response_url answered HTTP ${res.status}`);
  };
}

export function registerHandlers(app: App, bot: Bot, out: Outbound, logger: Logger): void {
  async function deliver(send: Send, reply: Reply, placement: Placement): Promise<void> {
    let messages = renderReply(reply);
    if (messages.length > MAX_RESPONSES) {
      logger.warn('slack reply too long for one response_url', { messages: messages.length });
      messages = [...messages.slice(0, MAX_RESPONSES - 1), tooLong(messages.length)];
    }
    for (const [i, m] of messages.entries()) {
      await send({
        ...m,
        response_type: reply.ephemeral ? 'ephemeral' : 'in_channel',
        replace_original: placement === 'replace' && i === 0,
      });
    }
  }

  // Announcements go to the channels bound in the asker's workspace only.
  const channels: ChannelPoster = {
    platform: 'slack',
    logger,
    post: (target, message) => out.postMessage(target, message).catch((e: unknown) => Promise.reject(new Error(errorMessage(e)))),
    skip: (target, inv) => target.workspaceId !== inv.workspaceId,
    describeError: errorMessage,
  };

  async function run(inv: Invocation, show: (reply: Reply) => Promise<void>): Promise<void> {
    // Where the app may read e-mail addresses, an unlinked user whose address matches a person is
    // linked on first use, without an invite code.
    const email = await out.email(inv.userId);
    if (email) await bot.linkByEmail(inv, email).catch((e: unknown) => logger.warn('link by e-mail failed', { user: inv.userId, error: errorMessage(e) }));
    await converse(bot, inv, { show }, channels);
  }

  const homeOf = (inv: Omit<Invocation, 'text'>) => (reply: Reply) =>
    bot.handle({ ...inv, text: 'me' }).then((me) => out.publishHome(inv.userId, [reply, me]));

  app.command('/partner', async ({ command, ack, respond }) => {
    await ack();
    const inv: Invocation = {
      platform: 'slack',
      workspaceId: command.team_id,
      userId: command.user_id,
      displayName: await out.displayName(command.user_id, command.user_name),
      channelId: command.channel_id,
      text: command.text,
      deliveryId: command.trigger_id,
    };
    await run(inv, async (reply) => {
      await deliver(respond, reply, 'new');
      await out.uploadAttachments(command.channel_id, reply);
    });
  });

  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: /^pb:\d+$/ }, async ({ ack, body, action, respond }) => {
    await ack();
    const payload = decodeButtonValue(action.value ?? '');
    const fromHome = body.container['type'] === 'view';
    const fromEphemeral = body.container['is_ephemeral'] === true;
    if (payload.inputs?.length) {
      // Opened before anything slow: the trigger_id expires 3 seconds after the click.
      const meta: ModalMeta = {
        command: payload.command,
        inputs: payload.inputs,
        ...(body.channel ? { channelId: body.channel.id } : {}),
        ...(fromHome ? {} : { responseUrl: body.response_url }),
        fromEphemeral,
      };
      await out.openModal(body.trigger_id, renderInputsModal({ ...payload, inputs: payload.inputs }, action.text.text, JSON.stringify(meta)));
      return;
    }
    const base = {
      platform: 'slack' as const,
      workspaceId: body.team?.id ?? body.user.team_id ?? '',
      userId: body.user.id,
      displayName: await out.displayName(body.user.id, body.user.name ?? body.user.username),
      ...(body.channel ? { channelId: body.channel.id } : {}),
    };
    const show = fromHome ? homeOf(base) : (reply: Reply) => deliver(respond, reply, placementFor(reply, fromEphemeral));
    const pressed = `${String(body.container['message_ts'] ?? body.container['view_id'])} ${action.action_id} ${action.value ?? ''}`;
    await run({ ...base, text: payload.command, deliveryId: body.trigger_id, pressed }, show);
  });

  app.view('pb:inputs', async ({ ack, body, view }) => {
    await ack();
    const meta = JSON.parse(view.private_metadata) as ModalMeta;
    const base = {
      platform: 'slack' as const,
      workspaceId: body.team?.id ?? body.user.team_id ?? view.team_id,
      userId: body.user.id,
      displayName: await out.displayName(body.user.id, body.user.name),
      ...(meta.channelId ? { channelId: meta.channelId } : {}),
    };
    const send = meta.responseUrl ? responseUrlSender(meta.responseUrl) : undefined;
    const show = send ? (reply: Reply) => deliver(send, reply, placementFor(reply, meta.fromEphemeral)) : homeOf(base);
    await run({ ...base, text: commandWithInputs(meta.command, meta.inputs, view.state.values), ...('trigger_id' in body ? { deliveryId: body.trigger_id } : {}) }, show);
  });

  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    const inv: Invocation = {
      platform: 'slack',
      workspaceId: body.team_id,
      userId: event.user,
      displayName: await out.displayName(event.user, event.user),
      text: 'me',
      deliveryId: body.event_id,
    };
    await run(inv, (reply) => out.publishHome(event.user, [reply]));
  });
}
