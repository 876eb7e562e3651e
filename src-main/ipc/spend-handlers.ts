import { z } from 'zod';
import type { InvokeContract } from '../../src-shared/contract/ipc-contract';
import type { PriceBook } from '../providers/prices/price-book';
import type { CallLogRepository } from '../storage/call-log-repository';
import type { HandlerMap } from './handler-types';

type SpendChannel = Extract<keyof InvokeContract, `app:prices.${string}` | `app:spend.${string}`>;

const nothing = z.undefined();

export function createSpendHandlers(deps: { prices: PriceBook; callLog: CallLogRepository }): HandlerMap<SpendChannel> {
  return {
    'app:prices.info': { payload: nothing, handle: () => deps.prices.info() },
    'app:prices.refresh': { payload: nothing, handle: () => deps.prices.refresh() },
    'app:spend.monthToDate': { payload: nothing, handle: () => deps.callLog.monthToDateSpend() },
  };
}
