/**
 * The one set of rules for text people type (names, aliases, titles, descriptions, searches,
 * passwords, tokens), shared by the server's routes and page actions and by the client:
 * - no NUL or other control characters (PostgreSQL text cannot hold NUL, and control characters
 *   break one-line layouts and logs); multi-line texts may hold line breaks and tabs;
 * - no bidirectional overrides or isolates (U+202A–U+202E, U+2066–U+2069), which let a name or
 *   title disguise itself ("evil\u202Egnp.exe" shows as "evilexe.png");
 * - names and titles must show something: zero-width or blank-only text is refused.
 * Imports neither `$app` nor Node built-ins.
 */
import { z } from 'zod';

/** Any control character (C0, DEL, C1), NUL included. */
export const CONTROL_CHARACTER = /\p{Cc}/u;
/** A control character other than line feed, carriage return and tab (allowed in multi-line text). */
const CONTROL_EXCEPT_LINE_BREAKS = /(?![\n\r\t])\p{Cc}/u;
/** Explicit bidirectional embeddings, overrides and isolates. */
export const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
/**
 * A character that shows: not space, not default-ignorable (zero-width space and joiners, soft
 * hyphen, Hangul fillers, variation selectors…), not a format or control character, not a lone
 * combining mark, not the blank Braille pattern.
 */
const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{M}\u2800]/u;

/** The problems the rules report (also the `message` after `field: ` in a 400). */
export const TEXT_PROBLEMS = {
	control: 'must not contain control characters',
	bidi: 'must not contain direction-override characters',
	invisible: 'must contain a visible character'
} as const;

/** True when the text holds a control character; with `multiline`, line breaks and tabs are fine. */
export function hasControlCharacter(value: string, multiline = false): boolean {
	return (multiline ? CONTROL_EXCEPT_LINE_BREAKS : CONTROL_CHARACTER).test(value);
}

/** True when the text has at least one character that shows. */
export function hasVisibleCharacter(value: string): boolean {
	return VISIBLE.test(value);
}

/** How one text field is checked. */
export interface TextRules {
	/** Longest text, in UTF-16 code units (what `maxlength` counts), after trimming. */
	max: number;
	/** Shortest text after trimming (default 0). */
	min?: number;
	/** Line breaks and tabs allowed (descriptions). */
	multiline?: boolean;
	/** A name or title: bidi controls refused, and a non-empty value must show a character. */
	name?: boolean;
	/** Trim surrounding white space (default true; passwords keep theirs). */
	trim?: boolean;
	/** The `min` message (default: "must not be empty"). */
	requiredMessage?: string;
}

/** A zod string schema for one text field, following `rules`. */
export function textSchema(rules: TextRules) {
	const { max, min = 0, multiline = false, name = false, trim = true } = rules;
	let schema = z.string().refine((value) => !hasControlCharacter(value, multiline), TEXT_PROBLEMS.control);
	if (trim) schema = schema.trim();
	if (name) {
		schema = schema
			.refine((value) => !BIDI_CONTROL.test(value), TEXT_PROBLEMS.bidi)
			.refine((value) => value === '' || hasVisibleCharacter(value), TEXT_PROBLEMS.invisible);
	}
	if (min > 0) schema = schema.min(min, rules.requiredMessage ?? (min === 1 ? 'must not be empty' : `must be at least ${min} characters`));
	return schema.max(max, `must be at most ${max} characters`);
}

/** One line of search text (`q`): no control characters, at most `max`. */
export function searchSchema(max: number, required = false) {
	return textSchema({ max, min: required ? 1 : 0, requiredMessage: 'is required' });
}
