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
    const { createEmailTransport } = await import('./transport.ts');
    let secret: Promise<string> | undefined;
    const transport = createEmailTransport({
      smtpUrl: config.PARTNERBOT_SMTP_URL!,
      from: config.PARTNERBOT_MAIL_FROM!,
      ...(config.PARTNERBOT_DIGEST_TO ? { digestTo: config.PARTNERBOT_DIGEST_TO } : {}),
      publicUrl: config.PARTNERBOT_PUBLIC_URL,
      linkSecret: () => (secret ??= linkSecret(bot.db, config.PARTNERBOT_LINK_SECRET)),
      db: bot.db,
      clock: bot.clock,
    });
    return {
      name: 'email',
      transport,
      // Nothing to connect: each message opens its own SMTP session, and a relay that is down delays
      // mail (retried from the outbox) without taking the bot out of service.
      start: async () => {
        if (config.PARTNERBOT_PUBLIC_URL === DEFAULT_PUBLIC_URL)
          logger.warn('e-mail links will point at http://localhost:8080: set PARTNERBOT_PUBLIC_URL to the address recipients reach the bot at');
      },
      stop: async () => transport.close(),
      isReady: () => true,
    };
  },
};
