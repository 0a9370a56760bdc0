// Runs the built process (build/process/main.js) without checking the build; `npm start` checks first.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const buildDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'build');
const { main } = await import(path.join(buildDir, 'process', 'main.js'));
await main(buildDir);
