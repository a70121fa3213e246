import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL or Redis that a test can cut: every connection through it is
 * dropped and new ones are refused until it is restored, as when the server or the network goes.
 * Or stall: connections stay open and new ones are accepted, but no byte moves either way until
 * it ends, as when the server hangs.
 */
export class OutageProxy {
  private readonly sockets = new Set<Socket>();
  private down = false;
  /** While stalled, what each new connection waits for before it is joined to the server. */
  private stalled?: Promise<void>;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<OutageProxy> {
    const made: { proxy?: OutageProxy } = {};
    const server = createServer((client) => {
      const proxy = made.proxy;
      if (!proxy || proxy.down) {
        client.destroy();
        return;
      }
      client.on('error', () => undefined);
      proxy.sockets.add(client);
      client.once('close', () => proxy.sockets.delete(client));
      client.pause();
      const join = () => {
        if (client.destroyed) return;
        const upstream = createConnection(target);
        proxy.sockets.add(upstream);
        upstream.once('close', () => proxy.sockets.delete(upstream));
        upstream.on('error', () => undefined);
        client.pipe(upstream).pipe(client);
        client.resume();
        client.once('close', () => upstream.destroy());
        upstream.once('close', () => client.destroy());
      };
      if (proxy.stalled) void proxy.stalled.then(join);
      else join();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    made.proxy = new OutageProxy(server, typeof address === 'object' && address ? address.port : 0);
    return made.proxy;
  }

  /** Drops every connection and refuses new ones for `ms`. */
  async cut(ms: number): Promise<void> {
    this.down = true;
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, ms));
    this.down = false;
  }

  /** Holds every byte, both ways, on every connection (old and new) for `ms`; nothing is dropped. */
  async stall(ms: number): Promise<void> {
    const sockets = [...this.sockets];
    for (const socket of sockets) socket.pause();
    this.stalled = new Promise((resolve) => setTimeout(resolve, ms));
    await this.stalled;
    this.stalled = undefined;
    for (const socket of sockets) if (!socket.destroyed) socket.resume();
  }

  close(): void {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
  }
}
