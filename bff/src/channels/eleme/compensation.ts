import { z } from 'zod';
import type { Cache, Lock } from '../../cache';
import type { Logger } from '../../logger';
import { type ElemeInbound, ElemePushRefused } from './inbound';
import { MalformedElemePush } from './push-order';
import type { ElemeTransport } from './transport';

const PAGE_SIZE = 50;
const MAX_PAGES = 20;
const LOCK_KEY = 'eleme:compensation';

/**
 * The request and answer shapes of the compensation APIs are not in our spec (dianj 21308 names
 * the APIs only); these follow the simulator, which defines them: each message hands back the
 * push body exactly as it was sent, so it is verified and recorded like a push.
 */
const PullAnswer = z.object({
  total: z.number().int().nonnegative().optional(),
  msgList: z.array(z.object({ msgId: z.string().min(1), content: z.string() })).default([]),
});

/**
 * Ele.me's required "推拉结合" (spec delivery-platforms.md §2.2): pushes Ele.me failed to deliver
 * (types 10, 12, 14, 15, 17, 217, 218) are pulled with `eleme.msgNew.getPushFailMsg` (app-level,
 * token `""`), recorded through the same inbox as pushes (deduplicated on requestId, so a push that
 * did arrive is not applied twice), and confirmed with `eleme.msgNew.confirmPullMsg`. A shared
 * lock keeps the pull to one process at a time.
 */
export class ElemeCompensation {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly transport: ElemeTransport,
    private readonly inbound: ElemeInbound,
    private readonly appId: string | undefined,
    private readonly cache: Cache,
    private readonly logger: Logger,
  ) {}

  /** One pull, page by page; answers how many messages were pulled and how many were new. */
  async pullOnce(): Promise<{ pulled: number; recorded: number }> {
    if (!this.appId) return { pulled: 0, recorded: 0 };
    const appId = /^\d+$/.test(this.appId) ? Number(this.appId) : this.appId;
    let pulled = 0;
    let recorded = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = PullAnswer.parse(
        await this.transport.call(
          'eleme.msgNew.getPushFailMsg',
          { msgQueryRequest: { appId, pageSize: PAGE_SIZE } },
          '',
        ),
      );
      if (answer.msgList.length === 0) break;
      const done: string[] = [];
      for (const msg of answer.msgList) {
        pulled++;
        try {
          const { duplicate } = await this.inbound.accept(msg.content, 'pull');
          if (!duplicate) recorded++;
          done.push(msg.msgId);
        } catch (err) {
          if (!(err instanceof MalformedElemePush) && !(err instanceof ElemePushRefused)) throw err;
          // A message we will never accept is confirmed anyway, or it would come back forever.
          this.logger.error({ msgId: msg.msgId, reason: err.message }, 'pulled Ele.me message refused');
          done.push(msg.msgId);
        }
      }
      await this.transport.call('eleme.msgNew.confirmPullMsg', { msgConfirmRequest: { appId, msgIds: done } }, '');
      if (answer.msgList.length < PAGE_SIZE) break;
    }
    if (pulled > 0) this.logger.info({ pulled, recorded }, 'Ele.me compensation pull');
    return { pulled, recorded };
  }

  /** Pulls every `intervalMs` while the workers run. A round never throws: the next one retries. */
  start(intervalMs = 60_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .catch((err) => this.logger.error({ err }, 'Ele.me compensation round failed'))
        .finally(() => {
          this.running = undefined;
        });
    }, intervalMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let lock: Lock | null;
    try {
      lock = await this.cache.acquireLock(LOCK_KEY, 55_000);
    } catch (err) {
      // Without Redis nobody can know whether another process is pulling: skip this round rather
      // than pull twice. The inbox deduplicates anyway; this keeps the platform's quota.
      this.logger.debug({ err: (err as Error).message }, 'Ele.me compensation round skipped: no lock');
      return;
    }
    if (!lock) return;
    try {
      await this.pullOnce();
    } catch (err) {
      this.logger.warn({ err }, 'Ele.me compensation pull failed; next round retries');
    } finally {
      await lock.release().catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
