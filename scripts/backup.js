// `npm run backup -- --out FILE`: see server/ops.ts and docs/operations.md.
import { runOpsCommand } from './ops-command.js';
await runOpsCommand('backupCommand');
