// Unit and integration tests run under plain Node: `electron` resolves here (see vitest.config.ts),
// so modules like electron-store load and take their paths from an explicit `cwd`.
export default {};
