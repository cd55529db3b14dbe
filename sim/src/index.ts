/**
 * Platform simulators (Meituan, Ele.me, WeChat, WeChat Pay). See sim/README.md. This module is
 * the package entry; the simulators are added by the issues that need them.
 */
export const simulators: readonly string[] = [];
