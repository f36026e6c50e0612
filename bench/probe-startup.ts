import { linkWorld } from './link.ts';
import { runTool, timed, forgetCycle, clearDr } from './tools.ts';
const w = await linkWorld({ bytes: 40 * 1024 * 1024, rateMbit: 200, set: (process.argv[2] ?? 'half') as 'half' });
try {
  await runTool(w, 'copy_archivelog', ['--once']);
  for (let i = 0; i < 2; i++) {
    forgetCycle(w); clearDr(w); w.updateConfig({ backup: { parallel: 4 } });
    const t = await timed(undefined, () => runTool(w, 'hot_backup_ts'));
    console.log('whole', t.seconds);
  }
  console.log(w.readLog('hot_backup_ts.DBPROD.out'));
} finally { await w.dispose(); }
process.exit(0);
