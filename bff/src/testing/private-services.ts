/**
 * Private services for fault tests: a redis-server and a mariadbd of the test's own, on free ports
 * with their own data directories, that the test may stop, kill, pause and restart; and real BFF
 * processes started against them. The shared MariaDB and Redis of the machine are never touched.
 *
 * Production code never imports this file.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { connectDatabase } from 'db';
import { sql } from 'kysely';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `check` until it answers true; throws with `what` after `timeoutMs`. */
export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** A server process the test owns: start, stop (clean), kill (-9), pause/resume (a stall). */
export interface PrivateServer {
  readonly port: number;
  /** Connection URL (for MariaDB: the server, no database; add `/<name>`). */
  readonly url: string;
  readonly dataDir: string;
  /** Whether the process is running (a paused one counts as running). */
  running(): boolean;
  /** Starts it again on the same port and data directory; resolves once it answers. */
  start(): Promise<void>;
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL, and waits for the exit: a crash. */
  kill(): Promise<void>;
  /** SIGSTOP: the process keeps its sockets but answers nothing (a stall). */
  pause(): void;
  /** SIGCONT after `pause`. */
  resume(): void;
  /** Kills it if running and deletes its data directory. */
  destroy(): Promise<void>;
}

interface ServerRecipe {
  name: string;
  command: string;
  args: (port: number, dataDir: string) => string[];
  answers: (port: number) => Promise<boolean>;
}

async function privateServer(recipe: ServerRecipe, dataDir: string, url: (port: number) => string) {
  const port = await freePort();
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let log = '';
  const server: PrivateServer = {
    port,
    url: url(port),
    dataDir,
    running: () => child !== null,
    async start() {
      if (child) return;
      const proc = spawn(recipe.command, recipe.args(port, dataDir), { stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      proc.stdout?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
      proc.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
      exited = new Promise((resolve) =>
        proc.on('exit', () => {
          if (child === proc) child = null;
          resolve();
        }),
      );
      try {
        await waitUntil(`${recipe.name} on port ${port} answers`, async () => {
          if (child !== proc) throw new Error(`${recipe.name} exited:\n${log}`);
          return recipe.answers(port);
        });
      } catch (err) {
        proc.kill('SIGKILL');
        throw err;
      }
    },
    async stop() {
      if (!child) return;
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (!child) return;
      child.kill('SIGKILL');
      await exited;
    },
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
    async destroy() {
      await server.kill();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/** Sends one inline command over a fresh socket; answers whether the reply starts with `expect`. */
function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      reply += d.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** A redis-server of the test's own, without persistence. `url` is `redis://127.0.0.1:<port>`. */
export async function startPrivateRedis(): Promise<PrivateServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'heyi-redis-'));
  return privateServer(
    {
      name: 'redis-server',
      command: 'redis-server',
      args: (port, dir) => [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      answers: redisAnswers,
    },
    dataDir,
    (port) => `redis://127.0.0.1:${port}`,
  );
}

/**
 * A mariadbd of the test's own: `mariadb-install-db` into a temporary data directory, then the
 * server on a free port without grant tables (root, no password). `url` is the server URL
 * `mysql://root@127.0.0.1:<port>` (as `createMysqlTestDatabase` takes). Takes a few seconds.
 */
export async function startPrivateMariadb(): Promise<PrivateServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'heyi-mariadb-'));
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  await run(
    'mariadb-install-db',
    ['--no-defaults', `--datadir=${dataDir}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...asRoot],
    { timeout: 120_000 },
  );
  return privateServer(
    {
      name: 'mariadbd',
      command: 'mariadbd',
      args: (port, dir) => [
        '--no-defaults',
        `--datadir=${dir}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${path.join(dir, 'mariadb.sock')}`,
        `--pid-file=${path.join(dir, 'mariadb.pid')}`,
        // Its own temporary files: a mariadbd starting up deletes every `#sql*` file in its tmpdir,
        // which in the shared /tmp are the temporary tables of the other servers running queries.
        `--tmpdir=${dir}`,
        '--skip-grant-tables',
        '--skip-name-resolve',
        '--innodb-buffer-pool-size=32M',
        '--innodb-log-file-size=16M',
        '--performance-schema=OFF',
        ...asRoot,
      ],
      answers: async (port) => {
        const handle = await connectDatabase(`mysql://root@127.0.0.1:${port}`, { poolSize: 1 });
        try {
          await sql`SELECT 1`.execute(handle.db);
          return true;
        } catch {
          return false;
        } finally {
          await handle.close();
        }
      },
    },
    dataDir,
    (port) => `mysql://root@127.0.0.1:${port}`,
  );
}

export interface BffProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves once the output matches `pattern`; rejects if the process exits first or after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Whether the process is still running. */
  alive(): boolean;
}

const bffRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A real BFF process (`bff/src/server.ts`, as `pnpm start:bff` runs it) on a random port, with
 * test secrets; `env` adds to or overrides them. Resolves with its URL once it listens; rejects
 * with its output if it exits or does not start in time.
 */
export async function startBffProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<BffProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: bffRoot,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      JWT_SECRET: 'bff-process-secret-bff-process-secret',
      DATA_ENCRYPTION_KEY: 'aa'.repeat(32),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  let log = '';
  child.stdout?.on('data', (data: Buffer) => (log += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (log += data.toString()));
  const waitForOutput = async (pattern: RegExp, ms = 30_000) => {
    await Promise.race([
      waitUntil(`BFF output matching ${pattern}`, () => pattern.test(log), ms),
      exited.then((code) => {
        if (!pattern.test(log)) throw new Error(`BFF exited with ${code} before printing ${pattern}:\n${log}`);
      }),
    ]);
    return (pattern.exec(log) as RegExpExecArray)[0];
  };
  const listening = await waitForOutput(/"url":"(http:\/\/[^"]+)"/, timeoutMs).catch((err: Error) => {
    child.kill('SIGKILL');
    throw new Error(err.message.startsWith('BFF exited') ? err.message : `BFF did not start:\n${log}`);
  });
  const url = (/"url":"(http:\/\/[^"]+)"/.exec(listening) as RegExpExecArray)[1] as string;
  return { child, url, exited, output: () => log, waitForOutput, alive: () => exitCode === undefined };
}

export interface ServerSentEvent {
  event: string;
  data: string;
}

export interface EventStream {
  status: number;
  /** Every event received so far (comments excluded), in order. */
  readonly events: ServerSentEvent[];
  /** Resolves with the first event (from the start) that `match` accepts. */
  waitFor(match: (e: ServerSentEvent) => boolean, timeoutMs?: number): Promise<ServerSentEvent>;
  close(): void;
}

/** Opens a Server-Sent Events stream (e.g. a kitchen screen's) and keeps reading it in the background. */
export async function openEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  const events: ServerSentEvent[] = [];
  if (res.body) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data });
        }
      }
    })().catch(() => undefined);
  }
  return {
    status: res.status,
    events,
    async waitFor(match, timeoutMs = 30_000) {
      await waitUntil('a matching server-sent event', () => events.some(match), timeoutMs);
      return events.find(match) as ServerSentEvent;
    },
    close: () => abort.abort(),
  };
}
