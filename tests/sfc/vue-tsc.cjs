// Runs vue-tsc with the TypeScript 5 API: the project's own `typescript` is 7, whose
// package has no JavaScript API for vue-tsc to drive. Arguments as for tsc.
require("vue-tsc").run(require.resolve("typescript5/lib/tsc"));
