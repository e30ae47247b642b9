// Stands in for ink's `is-in-ci` (scripts/build.mjs for the TUI bundle, vitest.config.ts for the tests). In CI
// mode ink writes no frame until the app exits, for logs nobody watches; the TUI only ever runs on a terminal a
// person is looking at (it refuses anything else), so CI=true in their environment (dev containers set it)
// must not leave them a blank screen.
const inCi = false;
export default inCi;
