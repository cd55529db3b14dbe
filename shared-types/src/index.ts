export * from './auth';
export * from './common';
export * from './enums';
export * from './errors';
export * from './health';
export * from './money';
export * from './simulator';
export * from './stores';
