export * from './GroundcoverClient';
export * from './GroundcoverServerError';
export * from './types';
