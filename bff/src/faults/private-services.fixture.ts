import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { probeMysql, probeRedis } from 'db/testing';

/**
 * A MariaDB or Redis server of a test's own, on its own port and data directory, so that a test
 * may kill, stop and restart it without touching the shared servers on 3306 and 6379.
 */
export interface PrivateServer {
  /** `mysql://root@127.0.0.1:<port>` (no database) or `redis://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** Whether the server process is running now. */
  running(): boolean;
  /** `kill -9`: the server dies at once, mid-transaction, as in a crash or an OOM kill. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data directory (crash recovery runs). */
  start(): Promise<void>;
  /** Kills the server and deletes its data directory. */
  destroy(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Where a server binary is: on PATH, or in the sbin directories Debian puts servers in. */
export function findServerCommand(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

function command(name: string, pkg: string): string {
  const file = findServerCommand(name);
  if (!file) throw new Error(`the fault suite needs ${name} (apt-get install ${pkg})`);
  return file;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}: ${err}`))));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });

/** Starts and restarts one server process, waiting until `probe` answers. */
function supervised(
  name: string,
  url: string,
  port: number,
  dir: string,
  command: string,
  args: string[],
  probe: () => Promise<string | null>,
): PrivateServer {
  let child: ChildProcess | undefined;
  const logFile = path.join(dir, `${name}.log`);
  const server: PrivateServer = {
    url,
    port,
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    async start() {
      if (server.running()) return;
      const log = fs.openSync(logFile, 'a');
      child = spawn(command, args, { stdio: ['ignore', log, log] });
      fs.closeSync(log);
      const deadline = Date.now() + 30_000;
      for (;;) {
        if (!server.running()) throw new Error(`${name} exited:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
        if ((await probe()) === null) return;
        if (Date.now() > deadline) throw new Error(`${name} did not answer on port ${port} within 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async kill() {
      if (!child) return;
      const c = child;
      c.kill('SIGKILL');
      await exited(c);
    },
    async destroy() {
      await server.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/** A private MariaDB (`mariadb-install-db` into a temporary data directory, `mariadbd` as root on a free port). */
export async function startPrivateMariadb(): Promise<PrivateServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heyi-mariadb-'));
  const data = path.join(dir, 'data');
  await run(command('mariadb-install-db', 'mariadb-server'), [
    '--no-defaults',
    `--datadir=${data}`,
    '--user=root',
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
  ]);
  const port = await freePort();
  const url = `mysql://root@127.0.0.1:${port}`;
  const server = supervised(
    'mariadbd',
    url,
    port,
    dir,
    command('mariadbd', 'mariadb-server'),
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${path.join(dir, 'mariadb.sock')}`,
      `--pid-file=${path.join(dir, 'mariadb.pid')}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--user=root',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=64M',
      '--innodb-log-file-size=16M',
      '--max-connections=300',
    ],
    () => probeMysql(url),
  );
  await server.start();
  return server;
}

/** A private Redis (`redis-server` on a free port, nothing saved to disk). */
export async function startPrivateRedis(): Promise<PrivateServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heyi-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const server = supervised(
    'redis-server',
    url,
    port,
    dir,
    command('redis-server', 'redis-server'),
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    () => probeRedis(url),
  );
  await server.start();
  return server;
}
