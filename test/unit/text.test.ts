// The shared text rules ($lib/text): control characters, bidi controls, visible characters.
import { describe, expect, it } from 'vitest';
import { textSchema } from '$lib/text';

const issue = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) =>
	result.success ? null : result.error!.issues[0]!.message;

describe('textSchema', () => {
	const name = textSchema({ max: 64, min: 1, name: true });
	it('refuses NUL and other control characters', () => {
		for (const text of ['a\u0000', '\u0007', 'tab\there', 'line\nbreak', 'del\u007f', 'c1\u0085'])
			expect(issue(name.safeParse(text)), JSON.stringify(text)).toMatch(/control/);
	});
	it('refuses bidi overrides and isolates in names', () => {
		for (const code of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069])
			expect(issue(name.safeParse(`a${String.fromCodePoint(code)}b`))).toMatch(/direction/);
	});
	it('wants a visible character in names', () => {
		for (const text of ['\u200B', '\u200C\u200D', '\u2060', '\u3164', '\uFEFF', '\u2800', '\u0301'])
			expect(issue(name.safeParse(text)), JSON.stringify(text)).not.toBeNull();
		for (const text of ['Ёжик', '李', '👍', 'a\u200Db', 'مرحبا', 'x']) expect(name.safeParse(text).success, text).toBe(true);
	});
	it('lets multi-line text keep line breaks and tabs, and trims', () => {
		const description = textSchema({ max: 100, multiline: true, name: true });
		expect(description.parse('  one\r\ntwo\tthree  ')).toBe('one\r\ntwo\tthree');
		expect(issue(description.safeParse('bell\u0007'))).toMatch(/control/);
	});
	it('keeps a password as typed (no trimming) but refuses control characters', () => {
		const password = textSchema({ max: 256, min: 8, trim: false });
		expect(password.parse('  spaced out  ')).toBe('  spaced out  ');
		expect(password.safeParse('pass\u0000word').success).toBe(false);
	});
});
