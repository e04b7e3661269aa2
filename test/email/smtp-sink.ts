// A real SMTP server (smtp-server) on 127.0.0.1 for the e-mail tests: it keeps every message it
// accepted, parsed by mailparser, and can be told how to answer the next messages: a 4xx, a 5xx, or
// hanging up in the middle of DATA.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type Behaviour = 'accept' | 450 | 550 | 'drop-mid-data';

export interface Received {
  /** The envelope sender (MAIL FROM), where bounces go. */
  from: string;
  to: string[];
  raw: string;
  mail: ParsedMail;
}

export interface SmtpSink {
  port: number;
  received: Received[];
  /** Answers for the next messages, in order; then "accept". */
  script: Behaviour[];
  /** Every SMTP session that reached DATA (including refused and dropped ones). */
  attempts: number;
  /** user:password of each AUTH the relay was given. */
  logins: string[];
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const sink = { received: [] as Received[], script: [] as Behaviour[], attempts: 0, logins: [] as string[] } as SmtpSink;
  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    // A relay on the loopback interface: plain text, as a local postfix would be.
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      sink.logins.push(`${auth.username}:${auth.password}`);
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      sink.attempts++;
      const behaviour = sink.script.shift() ?? 'accept';
      const chunks: Buffer[] = [];
      let dropped = false;
      stream.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (behaviour === 'drop-mid-data' && !dropped) {
          dropped = true;
          // The connection's socket, as a relay crashing or a network cut would leave it.
          for (const c of (server as unknown as { connections: Set<{ _socket: { destroy(): void } }> }).connections) c._socket.destroy();
        }
      });
      stream.on('end', () => {
        if (dropped) return;
        if (behaviour === 450 || behaviour === 550) {
          const err = Object.assign(new Error(behaviour === 450 ? 'Mailbox busy, try later' : 'No such user here'), { responseCode: behaviour });
          return callback(err);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const to = (session.envelope.rcptTo as { address: string }[]).map((r) => r.address);
        simpleParser(raw).then((mail) => {
          const mailFrom = session.envelope.mailFrom;
          sink.received.push({ from: mailFrom ? mailFrom.address : '', to, raw, mail });
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.port = (server.server.address() as AddressInfo).port;
  sink.close = () => new Promise((resolve) => server.close(() => resolve()));
  return sink;
}
