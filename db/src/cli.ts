import { connectDatabase } from './connect';
import { migrateToLatest } from './migrate';
import { SeedRefusedError, seedDemo } from './seed';

/** `pnpm db:migrate` and `pnpm db:seed`, against DATABASE_URL (or the embedded default). */
async function main(command: string | undefined): Promise<void> {
  if (command !== 'migrate' && command !== 'seed') {
    console.error('usage: cli.ts migrate|seed');
    process.exitCode = 2;
    return;
  }
  const handle = await connectDatabase(process.env.DATABASE_URL);
  try {
    const result = await migrateToLatest(handle.db);
    const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
    console.log(
      `${handle.dialect} ${handle.describe}: ${applied.length ? `applied ${applied.join(', ')}` : 'schema up to date'}`,
    );
    if (command === 'seed') {
      await seedDemo(handle.db);
      console.log('demo brand seeded');
    }
  } catch (err) {
    if (err instanceof SeedRefusedError) {
      console.error(err.message);
      process.exitCode = 1;
      return;
    }
    throw err;
  } finally {
    await handle.close();
  }
}

await main(process.argv[2]);
