// A TCP proxy that can go silent: while paused it accepts connections and bytes from both sides and
// forwards none of them, like a network path that drops packets without resetting anything.
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export class BlackholeProxy {
  private server!: Server;
  private readonly sockets = new Set<Socket>();
  paused = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = createConnection(this.target);
      for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
        this.sockets.add(from);
        from.on('data', (chunk) => {
          if (!this.paused) to.write(chunk);
        });
        from.on('error', () => to.destroy());
        from.on('close', () => {
          this.sockets.delete(from);
          // A close is news the black hole would not carry either.
          if (!this.paused) to.destroy();
        });
      }
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** The target's URL with the host and port replaced by the proxy's. */
  via(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
