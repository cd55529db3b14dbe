import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import ProductPicker from '../src/components/ProductPicker';
import { noodleProduct } from './fixtures';

function open(product = noodleProduct()) {
  const onAdd = vi.fn();
  render(<ProductPicker product={product} onAdd={onAdd} onClose={vi.fn()} />);
  return onAdd;
}

const addButton = () => screen.getByText('加入购物车') as HTMLButtonElement;
const selected = (cls: string) =>
  [...document.querySelectorAll(`.${cls}--selected`)].map((el) => el.textContent?.replace(/ \+.*$/, ''));

describe('选规格 picker', () => {
  afterEach(() => cleanup());

  it('refuses to add until the required 辣度 is chosen, then adds the chosen SKU and add-ons', () => {
    const onAdd = open();
    expect(screen.getByText('请选择辣度（选1项）')).toBeTruthy();
    expect(addButton().disabled).toBe(true);
    fireEvent.click(addButton());
    expect(onAdd).not.toHaveBeenCalled();

    fireEvent.click(screen.getByText('小碗'));
    fireEvent.click(screen.getByText('微辣'));
    fireEvent.click(screen.getByText('加卤蛋 +¥2.00'));
    expect(screen.queryByText(/请选择/)).toBeNull();
    // 小碗 ¥28.00 + 加卤蛋 ¥2.00
    expect(screen.getByText('¥30.00')).toBeTruthy();
    fireEvent.click(addButton());
    expect(onAdd).toHaveBeenCalledTimes(1);
    expect(onAdd.mock.calls[0]?.[0]).toMatchObject({ code: 'N001-S' });
    expect(onAdd.mock.calls[0]?.[1]).toEqual(['SPICY-1', 'ADD-EGG']);
  });

  it('keeps one 辣度 (max 1): a second tap replaces the first', () => {
    open();
    fireEvent.click(screen.getByText('微辣'));
    fireEvent.click(screen.getByText('特辣'));
    expect(selected('picker__addon')).toEqual(['特辣']);
  });

  it('stops 加料 at its max of 3 and lets a tap take one back', () => {
    open();
    for (const name of ['加牛肉 +¥8.00', '加卤蛋 +¥2.00', '加面 +¥3.00', '加青菜 +¥2.00'])
      fireEvent.click(screen.getByText(name));
    expect(selected('picker__addon')).toEqual(['加牛肉', '加卤蛋', '加面']);
    fireEvent.click(screen.getByText('加卤蛋 +¥2.00'));
    fireEvent.click(screen.getByText('加青菜 +¥2.00'));
    expect(selected('picker__addon')).toEqual(['加牛肉', '加面', '加青菜']);
  });

  it('shows a sold-out spec and will not add it', () => {
    const product = noodleProduct();
    const big = product.skus[0];
    if (big) big.soldOut = true;
    const onAdd = open(product);
    // It opens on the size still on sale.
    expect(selected('picker__option')).toEqual(['小碗']);
    fireEvent.click(screen.getByText('大碗（售罄）'));
    fireEvent.click(screen.getByText('不辣'));
    expect(screen.getByText('该规格已售罄')).toBeTruthy();
    fireEvent.click(addButton());
    expect(onAdd).not.toHaveBeenCalled();
  });
});
