import type { endpoints } from '../../shared/api/endpoints';
import type { HandlerDeps, HandlerTable } from './handler';

export const metaHandlers = (deps: HandlerDeps) =>
  ({
    health: async () => ({ status: 'ok', version: deps.version, storage: deps.db.engine, time: deps.now().toISOString() }),
    openapi: async () => deps.openapi,
  }) satisfies Partial<HandlerTable<typeof endpoints>>;
