import { afterEach, describe, expect, it, vi } from 'vitest';
import { offsetMinutes, storeTime, wallClock } from '../src/utils/time';

const AT = '2026-11-30T16:46:00Z';
// 2026-12-01 01:00 in Shanghai: the same local day as AT there.
const SAME_DAY_IN_SHANGHAI = new Date('2026-11-30T17:00:00Z');
// 2026-11-30 18:00 in Shanghai: the day before AT there.
const DAY_BEFORE_IN_SHANGHAI = new Date('2026-11-30T10:00:00Z');

const deviceZone = process.env.TZ;

describe('store time', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    if (deviceZone === undefined) delete process.env.TZ;
    else process.env.TZ = deviceZone;
  });

  it('shows 16:46 UTC as 00:46 on a Shanghai store’s clock, whatever zone the device is in', () => {
    // A phone set to New York: its own clock says 11:46 on 30 Nov.
    process.env.TZ = 'America/New_York';
    expect(new Date(AT).getHours()).toBe(11);
    expect(storeTime(AT, 'Asia/Shanghai', SAME_DAY_IN_SHANGHAI)).toBe('00:46');
  });

  it('adds the date when it is not today in the store’s zone (12月1日 00:46)', () => {
    process.env.TZ = 'UTC';
    expect(storeTime(AT, 'Asia/Shanghai', DAY_BEFORE_IN_SHANGHAI)).toBe('12月1日 00:46');
    // The next morning in Shanghai, the order placed at 23:10 the night before reads as 11月30日.
    expect(storeTime('2026-11-30T15:10:00Z', 'Asia/Shanghai', SAME_DAY_IN_SHANGHAI)).toBe('11月30日 23:10');
    // Another year carries the year.
    expect(storeTime('2025-12-31T15:10:00Z', 'Asia/Shanghai', SAME_DAY_IN_SHANGHAI)).toBe('2025年12月31日 23:10');
  });

  it('does not need Intl for Asia/Shanghai (WeChat engines without timezone data)', () => {
    process.env.TZ = 'America/Los_Angeles';
    const broken = vi.spyOn(Intl, 'DateTimeFormat').mockImplementation(function noTimezoneData() {
      throw new RangeError('Invalid time zone specified: Asia/Shanghai');
    });
    expect(storeTime(AT, 'Asia/Shanghai', SAME_DAY_IN_SHANGHAI)).toBe('00:46');
    expect(storeTime(AT, 'Asia/Shanghai', DAY_BEFORE_IN_SHANGHAI)).toBe('12月1日 00:46');
    expect(broken).not.toHaveBeenCalled();
  });

  it('asks Intl for other zones, with their daylight saving', () => {
    // London is UTC+0 in winter and UTC+1 in summer.
    expect(offsetMinutes('Europe/London', new Date('2026-11-30T12:00:00Z'))).toBe(0);
    expect(offsetMinutes('Europe/London', new Date('2026-07-01T12:00:00Z'))).toBe(60);
    expect(storeTime('2026-07-01T16:46:00Z', 'Europe/London', new Date('2026-07-01T08:00:00Z'))).toBe('17:46');
    expect(wallClock(new Date(AT), 'America/New_York')).toEqual({
      year: 2026,
      month: 11,
      day: 30,
      hour: 11,
      minute: 46,
    });
  });

  it('falls back to Shanghai time when a zone is unknown or Intl cannot answer for it', () => {
    vi.spyOn(Intl, 'DateTimeFormat').mockImplementation(function noTimezoneData() {
      throw new RangeError('Invalid time zone specified');
    });
    expect(storeTime(AT, 'Europe/London', SAME_DAY_IN_SHANGHAI)).toBe('00:46');
    expect(storeTime(AT, '', SAME_DAY_IN_SHANGHAI)).toBe('00:46');
    expect(storeTime(AT, undefined, SAME_DAY_IN_SHANGHAI)).toBe('00:46');
    expect(storeTime('not a time', 'Asia/Shanghai')).toBe('');
  });
});
