import type { ScopeDefinition } from '../auth/scope-registry';

export const DeviceScope = {
  Read: 'read:device',
  Write: 'write:device',
} as const;

export const DEVICE_SCOPES: ScopeDefinition[] = [
  { name: DeviceScope.Read, description: 'See your devices and their sensor readings', grantedTo: ['admin', 'user', 'viewer'] },
  { name: DeviceScope.Write, description: 'Add, change and delete your devices, and upload sensor readings', grantedTo: ['admin', 'user'] },
];
