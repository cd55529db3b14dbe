/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.gif';
declare module '*.jpg';
declare module '*.jpeg';
declare module '*.svg';
declare module '*.css';

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test';
    /** The platform being built. */
    TARO_ENV: 'weapp' | 'swan' | 'alipay' | 'h5' | 'rn' | 'tt' | 'qq' | 'jd' | 'harmony' | 'jdrn';
    TARO_APP_ID: string;
    /** Build time only: origin of the BFF, baked into API_BASE. */
    HEYI_API_BASE?: string;
  }
}

/** Origin of the BFF ('' = same origin), fixed at build time from HEYI_API_BASE (config/index.ts). */
declare const API_BASE: string;
