/** gpu.js backends a profile may record (kept apart from backends.ts so profile readers do not load gpu.js). */
export type BackendName = 'cpu' | 'webasm' | 'headlessgl' | 'webgpu';
export const BACKEND_NAMES = ['cpu', 'webasm', 'headlessgl', 'webgpu'] as const satisfies readonly BackendName[];
