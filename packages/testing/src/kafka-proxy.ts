import { connect, createServer, Socket, type Server } from 'node:net';
import type { ISocketFactory } from 'kafkajs';

interface Listener {
  readonly server: Server;
  readonly ready: Promise<number>;
}

/**
 * A TCP proxy a test controls, between kafkajs and every broker. Kafka clients connect to the
 * brokers the metadata advertises (one port per broker), so a proxy on the bootstrap address alone
 * cannot cut them off: give `socketFactory` to the kafkajs client and every connection, to any
 * broker, goes through a listener of this proxy. `cut()` drops every open connection and refuses
 * new ones (accepted, then reset) until `restore()`.
 */
export class KafkaProxy {
  private readonly listeners = new Map<string, Listener>();
  private readonly open = new Set<Socket>();
  private down = false;

  /** The socket factory to pass as kafkajs's `socketFactory` option. */
  readonly socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    const listener = this.listenerFor(host, port);
    const socket = new Socket();
    socket.setKeepAlive(true, 60_000);
    void listener.ready.then(
      (proxyPort) => {
        if (!socket.destroyed) socket.connect({ host: '127.0.0.1', port: proxyPort }, onConnect);
      },
      (error: unknown) => {
        socket.destroy(error instanceof Error ? error : new Error(String(error)));
      },
    );
    return socket;
  };

  get isCut(): boolean {
    return this.down;
  }

  cut(): void {
    this.down = true;
    for (const socket of this.open) socket.destroy();
    this.open.clear();
  }

  restore(): void {
    this.down = false;
  }

  async close(): Promise<void> {
    this.cut();
    await Promise.all(
      [...this.listeners.values()].map(
        ({ server }) =>
          new Promise<void>((resolve) => {
            server.close(() => {
              resolve();
            });
          }),
      ),
    );
    this.listeners.clear();
  }

  private listenerFor(host: string, port: number): Listener {
    const target = `${host}:${String(port)}`;
    const existing = this.listeners.get(target);
    if (existing) return existing;
    const server = createServer((client) => {
      if (this.down) {
        client.resetAndDestroy();
        return;
      }
      const upstream = connect({ host, port });
      this.track(client);
      this.track(upstream);
      client.pipe(upstream);
      upstream.pipe(client);
      const close = (): void => {
        client.destroy();
        upstream.destroy();
      };
      client.once('error', close);
      upstream.once('error', close);
      client.once('close', close);
      upstream.once('close', close);
    });
    const ready = new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        if (typeof address === 'object' && address) resolve(address.port);
        else reject(new Error('the proxy listener has no port'));
      });
    });
    const listener = { server, ready };
    this.listeners.set(target, listener);
    return listener;
  }

  private track(socket: Socket): void {
    this.open.add(socket);
    socket.once('close', () => {
      this.open.delete(socket);
    });
  }
}
