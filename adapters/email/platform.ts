// How the process finds the e-mail channel: notifications for people who never open the chat, and the
// digest for the partnership's list. It has no inbound messages: its buttons are signed links, answered
// by the bot's HTTP server (src/http/action-links.ts). Light on purpose: nodemailer is imported only
// once e-mail is configured and the adapter created.
import type { ChatPlatform } from '../../src/core/adapter.ts';
import { DEFAULT_PUBLIC_URL } from '../../src/config.ts';
import { linkSecret } from '../../src/delivery/action-links.ts';

export const platform: ChatPlatform = {
  name: 'email',
  configured: (config) => Boolean(config.PARTNERBOT_SMTP_URL),
  deliversFromTick: true,
  async create({ bot, config, logger }) {
    const [{ createEmailTransport }, { startBounceReceiver }] = await Promise.all([import('./transport.ts'), import('./bounces.ts')]);
    let secret: Promise<string> | undefined;
    let bounces: Awaited<ReturnType<typeof startBounceReceiver>> | undefined;
    const transport = createEmailTransport({
      smtpUrl: config.PARTNERBOT_SMTP_URL!,
      from: config.PARTNERBOT_MAIL_FROM!,
      ...(config.PARTNERBOT_DIGEST_TO ? { digestTo: config.PARTNERBOT_DIGEST_TO } : {}),
      ...(config.PARTNERBOT_BOUNCE_ADDRESS ? { bounceAddress: config.PARTNERBOT_BOUNCE_ADDRESS } : {}),
      publicUrl: config.PARTNERBOT_PUBLIC_URL,
      linkSecret: () => (secret ??= linkSecret(bot.db, config.PARTNERBOT_LINK_SECRET)),
      db: bot.db,
      clock: bot.clock,
    });
    return {
      name: 'email',
      transport,
      // Nothing to connect: each message opens its own SMTP session, and a relay that is down delays
      // mail (retried from the outbox) without taking the bot out of service. Bounces come in on the
      // bot's own SMTP port when a bounce address is set (a one-off tick sends without listening).
      start: async () => {
        if (config.PARTNERBOT_PUBLIC_URL === DEFAULT_PUBLIC_URL)
          logger.warn('e-mail links will point at http://localhost:8080: set PARTNERBOT_PUBLIC_URL to the address recipients reach the bot at');
        if (config.PARTNERBOT_BOUNCE_ADDRESS) {
          bounces = await startBounceReceiver({ host: config.PARTNERBOT_BOUNCE_HOST, port: config.PARTNERBOT_BOUNCE_PORT, address: config.PARTNERBOT_BOUNCE_ADDRESS, db: bot.db, logger });
          logger.info('e-mail bounces received', { port: bounces.port, host: config.PARTNERBOT_BOUNCE_HOST });
        }
      },
      stop: async () => {
        transport.close();
        await bounces?.close();
      },
      isReady: () => true,
    };
  },
};
