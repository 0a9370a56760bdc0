// A Vitest environment for runes classes (`*.svelte.ts`): Node globals, but modules transformed
// for the browser, so the Svelte compiler emits client code ($state signals, $effect, flushSync)
// instead of the server's plain fields.
import type { Environment } from 'vitest/environments';

export default {
	name: 'svelte-client',
	viteEnvironment: 'client',
	setup() {
		return { teardown() {} };
	}
} satisfies Environment;
