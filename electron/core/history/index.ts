export * from './types';
export { HistoryStore } from './store';
