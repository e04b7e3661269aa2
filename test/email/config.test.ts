// The e-mail block of the configuration: checked at start-up, and its secrets kept out of logs.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secretValues } from '../../src/config.ts';
import { smtpOptions } from '../../adapters/email/index.ts';

const mail = { PARTNERBOT_SMTP_URL: 'smtp://bot%40org:p%40ss%3Aword@relay.example.org:587', PARTNERBOT_MAIL_FROM: 'partnerbot@example.org' };

describe('e-mail configuration', () => {
  it('refuses what cannot work, naming the variable', () => {
    const refused = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return '';
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
    };
    expect(refused({ PARTNERBOT_SMTP_URL: 'http://relay.example.org', PARTNERBOT_MAIL_FROM: 'a@b.org' })).toMatch(/^configuration: PARTNERBOT_SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(refused({ PARTNERBOT_SMTP_URL: mail.PARTNERBOT_SMTP_URL })).toMatch(/^configuration: PARTNERBOT_MAIL_FROM must be set/);
    expect(refused({ ...mail, PARTNERBOT_MAIL_FROM: 'Bot <bot@example.org>\r\nBcc: x@y.org' })).toMatch(/^configuration: PARTNERBOT_MAIL_FROM must be an e-mail address/);
    expect(refused({ PARTNERBOT_DIGEST_TO: 'list@example.org' })).toMatch(/^configuration: PARTNERBOT_SMTP_URL must be set/);
    expect(refused({ ...mail, PARTNERBOT_LINK_SECRET: 'short' })).toMatch(/^configuration: PARTNERBOT_LINK_SECRET must be at least 32 characters/);
    expect(refused(mail)).toBe('');
  });

  it('keeps the relay password (as written and decoded) and the link secret out of logs', () => {
    const secrets = secretValues(loadConfig({ ...mail, PARTNERBOT_LINK_SECRET: 'x'.repeat(40) }));
    expect(secrets).toEqual(expect.arrayContaining([mail.PARTNERBOT_SMTP_URL, 'p@ss:word', 'x'.repeat(40)]));
  });

  it('requires STARTTLS on smtp:// except to a relay on this machine; smtps:// is TLS from the start', () => {
    expect(smtpOptions(mail.PARTNERBOT_SMTP_URL)).toMatchObject({ host: 'relay.example.org', port: 587, secure: false, requireTLS: true, auth: { user: 'bot@org', pass: 'p@ss:word' } });
    expect(smtpOptions('smtp://127.0.0.1:2525')).toMatchObject({ port: 2525, secure: false, requireTLS: false });
    expect(smtpOptions('smtp://127.0.0.1:2525')).not.toHaveProperty('auth');
    expect(smtpOptions('smtps://relay.example.org')).toMatchObject({ port: 465, secure: true, requireTLS: false });
  });
});
