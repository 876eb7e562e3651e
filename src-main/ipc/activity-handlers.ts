import { z } from 'zod';
import type { InvokeContract } from '../../src-shared/contract/ipc-contract';
import { appError, AppErrorException } from '../../src-shared/errors/app-error';
import {
  callAggregateQuerySchema,
  callLogExportQuerySchema,
  callLogFilterSchema,
  callLogPageQuerySchema,
} from '../../src-shared/schemas/call-log';
import { exportCallLog } from '../storage/call-log-export';
import type { CallLogRepository } from '../storage/call-log-repository';
import type { HandlerMap } from './handler-types';

type ActivityChannel = Extract<keyof InvokeContract, `app:activity.${string}`>;

export function createActivityHandlers(deps: { callLog: CallLogRepository }): HandlerMap<ActivityChannel> {
  return {
    'app:activity.page': { payload: callLogPageQuerySchema.strict(), handle: (query) => deps.callLog.page(query) },
    'app:activity.aggregate': { payload: callAggregateQuerySchema.strict(), handle: (query) => deps.callLog.aggregate(query) },
    'app:activity.quality': { payload: callLogFilterSchema.strict(), handle: (filter) => deps.callLog.quality(filter) },
    'app:activity.get': {
      payload: z.object({ id: z.number().int().positive() }).strict(),
      async handle({ id }) {
        const detail = await deps.callLog.get(id);
        if (!detail) throw new AppErrorException(appError('not_found', 'That call is no longer in the log (old calls are pruned).'));
        return detail;
      },
    },
    'app:activity.clients': { payload: z.undefined(), handle: () => deps.callLog.clientNames() },
    'app:activity.export': {
      payload: callLogExportQuerySchema.strict(),
      handle: (query) => exportCallLog(deps.callLog, query, Date.now()),
    },
  };
}
