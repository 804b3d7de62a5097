import { invoiceRows, setupSend } from './helpers';
import { makePdf } from '../../../emulator/demo/binary-files';
it('probe', () => {
  for (const n of [5000, 20000]) {
    const rows = invoiceRows(n).map((row) => ({ ...row, attachments: 'CGV.pdf' }));
    const { runner } = setupSend(rows, { files: [{ name: 'CGV.pdf', bytes: new Uint8Array(makePdf(['CGV'])) }] });
    const t = Date.now();
    const plan = runner.rpc('planSend', {});
    console.log(n, plan.outcome, (plan.endedAt - plan.startedAt) / 1000, 's virtual', Date.now() - t, 'ms wall', JSON.stringify(Object.entries(plan.counts.calls).filter(([, c]) => c > 2)));
  }
});
