// `npm run restore -- FILE [--force]`: see server/ops.ts and docs/operations.md.
import { runOpsCommand } from './ops-command.js';
await runOpsCommand('restoreCommand');
