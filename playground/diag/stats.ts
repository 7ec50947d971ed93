// A diagnostics package: attaches to another package's events through //trace:import.
import { ProbeGroup, setup } from "unplugin-tracing/runtime";

//trace:import "queue"

export interface Stats {
  ok: number;
  failed: number;
}

export function countJobs(stats: Stats): ProbeGroup {
  const pg = new ProbeGroup();
  setup(() => {
    queue_traceJobDone_Attach(pg, (_worker, _job, ok) => {
      if (ok) stats.ok++;
      else stats.failed++;
    });
  });
  return pg;
}
