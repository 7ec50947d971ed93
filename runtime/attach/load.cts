// Loaded into the target by `tstrace watch --pid` through the inspector's
// `require` (the only loader code evaluated by the inspector may use): an
// import() needs a module to import from, and a CommonJS module is one. It
// loads the agent, an ES module, and installs its one entry point.
module.exports = (agentUrl: string): Promise<boolean> =>
  import(agentUrl).then((agent: { install(): boolean }) => agent.install());
