// The package ships no types: one CommonJS function, the Snowball English (Porter2) stemmer, which
// is PostgreSQL's `english_stem` (checked word for word: test/integration/search/local-parity.test.ts).
declare module 'wink-porter2-stemmer' {
	/** The stem of a lower-case English word. */
	export default function stem(word: string): string;
}
