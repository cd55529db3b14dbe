import net from 'node:net';
import { createConnection } from 'mysql2/promise';

/** Whether a MySQL/MariaDB server answers at this URL (no database selected). */
export async function probeMysql(url: string): Promise<string | null> {
  try {
    const conn = await createConnection({ uri: url, connectTimeout: 2000 });
    await conn.query('SELECT 1');
    await conn.end();
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Whether a Redis server answers PING at this URL; a bare socket, so db needs no Redis client. */
export function probeRedis(url: string): Promise<string | null> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname || '127.0.0.1', port: Number(u.port || 6379) });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('timeout');
    }, 2000);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(data.toString().startsWith('+PONG') ? null : `unexpected reply ${JSON.stringify(data.toString())}`);
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      resolve(err.message);
    });
  });
}
