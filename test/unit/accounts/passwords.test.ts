// Password hashing parameters, the common-password list and the account input rules.
import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from '$lib/server/accounts/passwords';
import { commonPasswordCount, isCommonPassword } from '$lib/server/accounts/common-passwords';
import { displayNameSchema, emailSchema, usernameSchema } from '$lib/server/accounts/schemas';

describe('passwords', () => {
	it('hashes with argon2id at OWASP parameters (19 MiB, 2 passes, 1 lane) and verifies', async () => {
		const hash = await hashPassword('a long enough password');
		expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(await verifyPassword(hash, 'a long enough password')).toBe(true);
		expect(await verifyPassword(hash, 'a long enough passworD')).toBe(false);
		expect(await verifyPassword('not a hash', 'x')).toBe(false);
	});

	it('ships a list of thousands of common passwords, matched ignoring case', () => {
		expect(commonPasswordCount()).toBeGreaterThan(3000);
		for (const common of ['password', 'Password1', 'QWERTY123', '12345678', 'iloveyou2019', 'Dragon1990', 'пароль123', 'aaaaaaaa'])
			expect(isCommonPassword(common), common).toBe(common.length < 8 ? false : true);
		expect(isCommonPassword('correct horse battery staple')).toBe(false);
		expect(passwordProblem('Sunshine2024')).toMatch(/common/);
		expect(passwordProblem('alice_the_great', 'alice_the_great')).toMatch(/username/);
		expect(passwordProblem('an unusual phrase 42')).toBeNull();
	});
});

describe('account input rules', () => {
	it('lower-cases and trims usernames, then allows 3–32 of a-z 0-9 _', () => {
		expect(usernameSchema.parse('  Bob_99 ')).toBe('bob_99');
		for (const bad of ['ab', 'a'.repeat(33), 'bob smith', 'bob-1', 'боб', ''])
			expect(usernameSchema.safeParse(bad).success, bad).toBe(false);
	});

	it('refuses control and bidi-override characters in display names', () => {
		expect(displayNameSchema.parse('  Анна К.  ')).toBe('Анна К.');
		expect(displayNameSchema.safeParse('evil\u202Egnp.exe').success).toBe(false);
		expect(displayNameSchema.safeParse('tab\there').success).toBe(false);
		expect(displayNameSchema.safeParse('x'.repeat(65)).success).toBe(false);
	});

	it('normalises e-mail addresses', () => {
		expect(emailSchema.parse(' Ann@Example.ORG ')).toBe('ann@example.org');
		expect(emailSchema.safeParse('ann@').success).toBe(false);
	});
});
