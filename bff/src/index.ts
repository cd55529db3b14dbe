export { createApp } from './app';
export { type Config, ConfigError, loadConfig } from './config';
export { buildContainer, type Container, type ContainerOverrides } from './container';
export { type RunningServer, startServer } from './server';
