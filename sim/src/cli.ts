#!/usr/bin/env -S tsx --conditions=heyi-source
import { parseArgs } from 'node:util';
import { SIMULATOR_DEFAULTS } from 'shared-types';
import { burstCommand } from './burst';
import { startSimulator } from './server';

/**
 * `sim serve [--port 4010] [--host 127.0.0.1]`: runs the platform simulators until interrupted.
 * The BFF outside production points at `http://127.0.0.1:4010` (`SIM_BASE_URL`) by default.
 */
async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'burst') return burstCommand(argv.slice(1));
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const command = positionals[0] ?? 'serve';
  if (values.help || command !== 'serve') {
    console.log('usage: sim serve [--port <port>] [--host <host>]');
    process.exitCode = values.help ? 0 : 1;
    return;
  }
  const port = values.port === undefined ? SIMULATOR_DEFAULTS.port : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad --port ${values.port}`);
  const sim = await startSimulator({ port, host: values.host ?? '127.0.0.1' });
  console.log(`platform simulators on ${sim.url}`);
  console.log(`  Meituan open-cater  ${sim.url}/meituan/open-cater`);
  console.log(`  Meituan waimaiopen  ${sim.url}/meituan/waimaiopen/api/v1`);
  console.log(`  Ele.me              ${sim.url}/eleme  (api/v1/, token)`);
  console.log(`  control             ${sim.url}/_sim/calls`);
  const stop = () => {
    sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
