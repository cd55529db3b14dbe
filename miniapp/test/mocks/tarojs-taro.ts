import { useEffect } from 'react';
import { vi } from 'vitest';

// Page lifecycle hooks run once after the first render, which is when Taro fires onLoad/onShow.
const onMount = (callback: () => void) =>
  // biome-ignore lint/correctness/useExhaustiveDependencies: Taro fires these once per page, whatever the callback's identity
  useEffect(() => callback(), []);

export const useLoad = vi.fn(onMount);
export const useLaunch = vi.fn(onMount);
export const useDidShow = vi.fn(onMount);
export const useRouter = vi.fn(() => ({ params: {}, path: '/pages/index/index' }));
export const request = vi.fn();
export const navigateTo = vi.fn();
export const showToast = vi.fn();
export const getStorageSync = vi.fn((_key: string): unknown => '');
export const setStorageSync = vi.fn();
export const removeStorageSync = vi.fn();

const Taro = {
  useLoad,
  useLaunch,
  useDidShow,
  useRouter,
  request,
  navigateTo,
  showToast,
  getStorageSync,
  setStorageSync,
  removeStorageSync,
};
export default Taro;
