export * from './common.ts';
export * from './health.ts';
export * from './journal.ts';
export * from './cases.ts';
export * from './figures.ts';
export * from './areas.ts';
export * from './calendar.ts';
export * from './uploads.ts';
