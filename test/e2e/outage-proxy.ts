import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL or Redis that a test can cut: every connection through it is
 * dropped and new ones are refused until it is restored, as when the server or the network goes.
 */
export class OutageProxy {
  private readonly sockets = new Set<Socket>();
  private down = false;

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
      const upstream = createConnection(target);
      for (const socket of [client, upstream]) {
        proxy.sockets.add(socket);
        socket.once('close', () => proxy.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
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

  close(): void {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
  }
}
