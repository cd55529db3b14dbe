import Taro from '@tarojs/taro';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import StorePickerPage from '../src/pages/index/index';
import { errorBody, storeView } from './fixtures';

const request = vi.mocked(Taro.request);

function respond(statusCode: number, data: unknown) {
  return { statusCode, data, header: {}, cookies: [], errMsg: 'request:ok' } as never;
}

function cardOf(name: string): HTMLElement {
  const card = screen.getByText(name).closest('.store-card');
  if (!(card instanceof HTMLElement)) throw new Error(`no .store-card around ${name}`);
  return card;
}

describe('store picker page', () => {
  beforeEach(() => request.mockReset());
  afterEach(() => cleanup());

  it('lists the stores from GET /api/mp/stores with distance and open state', async () => {
    request.mockResolvedValueOnce(
      respond(200, {
        stores: [
          storeView({
            name: '合一小馆（人民广场店）',
            address: '黄浦区人民大道 100 号',
            distanceM: 850,
            openNow: true,
          }),
          storeView({
            name: '合一小馆（静安寺店）',
            address: '静安区南京西路 1618 号',
            distanceM: 1234,
            openNow: false,
          }),
        ],
      }),
    );
    render(<StorePickerPage />);
    expect(screen.getByText('正在加载门店…')).toBeTruthy();

    const people = within(await findCard('合一小馆（人民广场店）'));
    expect(people.getByText('黄浦区人民大道 100 号')).toBeTruthy();
    expect(people.getByText('850m')).toBeTruthy();
    expect(people.getByText('营业中')).toBeTruthy();

    const jingan = within(cardOf('合一小馆（静安寺店）'));
    expect(jingan.getByText('1.2km')).toBeTruthy();
    expect(jingan.getByText('休息中')).toBeTruthy();

    expect(document.querySelectorAll('.store-card')).toHaveLength(2);
    expect(screen.queryByText('正在加载门店…')).toBeNull();
    expect(request).toHaveBeenCalledTimes(1);
    expect(request.mock.calls[0]?.[0]).toMatchObject({ url: '/api/mp/stores', method: 'GET' });
  });

  it('shows no distance when the BFF did not compute one', async () => {
    request.mockResolvedValueOnce(
      respond(200, { stores: [storeView({ name: '合一小馆（西湖店）', distanceM: null })] }),
    );
    render(<StorePickerPage />);
    await findCard('合一小馆（西湖店）');
    expect(document.querySelector('.store-distance')).toBeNull();
  });

  it('says so when there are no stores', async () => {
    request.mockResolvedValueOnce(respond(200, { stores: [] }));
    render(<StorePickerPage />);
    expect(await screen.findByText('暂无可选门店')).toBeTruthy();
    expect(document.querySelectorAll('.store-card')).toHaveLength(0);
  });

  it('shows the BFF error message and loads again on 重试', async () => {
    request
      .mockResolvedValueOnce(respond(503, errorBody('NOT_READY', '门店数据正在更新，请稍后再试')))
      .mockResolvedValueOnce(respond(200, { stores: [storeView({ name: '合一小馆（滨江店）' })] }));
    render(<StorePickerPage />);

    expect(await screen.findByText('门店数据正在更新，请稍后再试')).toBeTruthy();
    expect(document.querySelectorAll('.store-card')).toHaveLength(0);

    fireEvent.click(screen.getByText('重试'));
    await findCard('合一小馆（滨江店）');
    expect(screen.queryByText('门店数据正在更新，请稍后再试')).toBeNull();
    expect(request).toHaveBeenCalledTimes(2);
  });

  it('shows a network message when no response arrives', async () => {
    request.mockRejectedValueOnce({ errMsg: 'request:fail timeout' });
    render(<StorePickerPage />);
    expect(await screen.findByText(/网络连接失败/)).toBeTruthy();
    expect(screen.getByText('重试')).toBeTruthy();
  });
});

async function findCard(name: string): Promise<HTMLElement> {
  await screen.findByText(name);
  return cardOf(name);
}
