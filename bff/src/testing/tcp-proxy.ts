import net from 'node:net';

/**
 * A load balancer in miniature for tests: one port in front of several backends, each new
 * connection sent to the next backend in turn (TCP round robin, like a layer-4 balancer with no
 * health checks). A backend that refuses the connection is skipped for that connection; when none
 * accepts, the client's connection is closed without an answer, which a platform retries.
 */
export interface TcpProxy {
  url: string;
  /** Connections handed to each backend so far, by backend port. */
  connections: Map<number, number>;
  close(): Promise<void>;
}

export async function startTcpProxy(backendPorts: number[]): Promise<TcpProxy> {
  const connections = new Map<number, number>(backendPorts.map((p) => [p, 0]));
  const sockets = new Set<net.Socket>();
  let next = 0;

  const connect = (client: net.Socket, tries: number) => {
    if (tries === 0 || client.destroyed) {
      client.destroy();
      return;
    }
    const port = backendPorts[next++ % backendPorts.length] as number;
    const backend = net.connect(port, '127.0.0.1');
    backend.once('error', () => {
      if (backend.bytesRead === 0 && backend.bytesWritten === 0 && !client.destroyed) {
        connect(client, tries - 1);
      } else {
        client.destroy();
      }
    });
    backend.once('connect', () => {
      connections.set(port, (connections.get(port) ?? 0) + 1);
      sockets.add(backend);
      backend.once('close', () => {
        sockets.delete(backend);
        client.destroy();
      });
      client.once('close', () => backend.destroy());
      client.pipe(backend);
      backend.pipe(client);
      client.resume();
    });
  };

  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    connect(client, backendPorts.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
