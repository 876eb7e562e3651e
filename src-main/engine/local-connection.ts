// The locality rule lives in src-shared so the renderer (the chat model picker) asks the same one.
export { hostOf, isLocalConnection, isLocalHost, looksLocal } from '../../src-shared/schemas/locality';
