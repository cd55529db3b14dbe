import { useEffect } from 'react';
import { vi } from 'vitest';

// Page lifecycle hooks run once after the first render, which is when Taro fires onLoad/onShow.
const onMount = (callback: () => void) =>
  // biome-ignore lint/correctness/useExhaustiveDependencies: Taro fires these once per page, whatever the callback's identity
  useEffect(() => callback(), []);

const resolved = () => Promise.resolve({ errMsg: 'ok' });

export const useLoad = vi.fn(onMount);
export const useLaunch = vi.fn(onMount);
export const useDidShow = vi.fn(onMount);
export const useDidHide = vi.fn();
export const useRouter = vi.fn(() => ({ params: {} as Record<string, string>, path: '/pages/index/index' }));
export const request = vi.fn();
export const login = vi.fn(() => Promise.resolve({ code: 'wx-code-1', errMsg: 'login:ok' }));
export const requestPayment = vi.fn(resolved);
export const navigateTo = vi.fn(resolved);
export const redirectTo = vi.fn(resolved);
export const reLaunch = vi.fn(resolved);
export const navigateBack = vi.fn(resolved);
export const showToast = vi.fn(resolved);
export const setNavigationBarTitle = vi.fn(resolved);
export const chooseLocation = vi.fn();
export const showModal = vi.fn(() => Promise.resolve({ confirm: true, cancel: false, errMsg: 'showModal:ok' }));
export const openLocation = vi.fn(resolved);
export const makePhoneCall = vi.fn(resolved);
export const vibrateLong = vi.fn(resolved);
export const getStorageSync = vi.fn((_key: string): unknown => '');
export const setStorageSync = vi.fn();
export const removeStorageSync = vi.fn();

const Taro = {
  useLoad,
  useLaunch,
  useDidShow,
  useDidHide,
  useRouter,
  request,
  login,
  requestPayment,
  navigateTo,
  redirectTo,
  reLaunch,
  navigateBack,
  showToast,
  setNavigationBarTitle,
  chooseLocation,
  showModal,
  openLocation,
  makePhoneCall,
  vibrateLong,
  getStorageSync,
  setStorageSync,
  removeStorageSync,
};
export default Taro;
