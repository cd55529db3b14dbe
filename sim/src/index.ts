/**
 * Platform simulators (Meituan, Ele.me; WeChat and WeChat Pay join them). See sim/README.md.
 */

export type { Fault, FaultKind, FaultSpec, SimPlatform } from './faults';
export type { ElemeCall, HandlerContext, OpenCaterCall, RouteHandler, WaimaiopenCall } from './registry';
export {
  defaultRegistry,
  registerEleme,
  registerOpenCater,
  registerRoute,
  registerWaimaiopen,
  SimError,
  SimRegistry,
} from './registry';
export { type RunningSimulator, type SimulatorOptions, startSimulator } from './server';
export type { CallRecord, SimCredentials, SimSettings } from './state';
export { SimState } from './state';
