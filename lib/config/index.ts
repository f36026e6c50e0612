// The configuration (etc/dr.yaml): types, validation and loading.
export type { AlertChannel, AlertsConfig, ConnectConfig, Destination, DrConfig, PathRule, Threshold, Thresholds, TransferConfig } from './types.ts';
export { validateConfig } from './validate.ts';
export { configPathFor, loadConfig } from './load.ts';
export { configKeys, keyPath } from './messages.ts';
export { checkRsyncOptions } from './rsyncOptions.ts';
export { parseSize } from './size.ts';
export { hasCompressOption, parseRate } from './transfer.ts';
