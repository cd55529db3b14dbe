/**
 * The compiled process entry: `node --enable-source-maps dist/main.js` (`pnpm start:bff`). A file
 * of its own because the bundle may move `server.ts` into a chunk shared with `index.ts`, where
 * it could no longer tell that it was the file node was asked to run.
 */
import { main } from './server';

await main();
