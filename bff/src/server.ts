import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { buildContainer, type Container } from './container';

/** The process cannot serve as configured (e.g. its port is taken): a one-line reason, no stack. */
export class StartupError extends Error {}

export interface RunningServer {
  server: http.Server;
  container: Container;
  url: string;
  /** Stops accepting, lets in-flight requests finish (up to the shutdown timeout), then closes pools. */
  shutdown(): Promise<void>;
}

/** Starts a BFF: config → container (migrating if asked) → HTTP → workers. */
export async function startServer(env: Record<string, string | undefined> = process.env): Promise<RunningServer> {
  const config = loadConfig(env);
  const container = await buildContainer(config);
  const app = createApp(container);
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 60_000;

  let inFlight = 0;
  let idle: (() => void) | undefined;
  server.on('request', (_req, res) => {
    inFlight++;
    res.on('close', () => {
      inFlight--;
      if (inFlight === 0) idle?.();
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (err) {
    await container.close();
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'the port is in use (set PORT to another one)' : (err as Error).message;
    throw new StartupError(`cannot listen on ${config.host}:${config.port}: ${why}`);
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  if (config.workersEnabled) await container.startWorkers();
  container.logger.info(
    { url, database: container.database.describe, cache: container.cache.kind },
    'heyi BFF listening',
  );

  let closing: Promise<void> | undefined;
  const shutdown = () => {
    closing ??= (async () => {
      container.logger.info({ inFlight }, 'shutting down: no new connections, finishing in-flight requests');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const drained = new Promise<void>((resolve) => {
        if (inFlight === 0) resolve();
        else idle = resolve;
      });
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownTimeoutMs).unref());
      await Promise.race([drained, timeout]);
      server.closeAllConnections();
      await closed;
      await container.close();
      container.logger.info('shut down');
    })();
    return closing;
  };
  return { server, container, url, shutdown };
}

/** The process: start, then drain and exit on SIGTERM/SIGINT. Run by `src/main.ts` (compiled) or this file (tsx). */
export async function main(): Promise<void> {
  let running: RunningServer;
  try {
    running = await startServer();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    if (err instanceof StartupError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      running.shutdown().then(
        () => process.exit(0),
        (err) => {
          running.container.logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

const entry = process.argv[1] ?? '';
if (import.meta.url === `file://${entry}` || entry.endsWith('/bff/src/server.ts')) {
  await main();
}
