/**
 * The most common passwords, refused at registration, change and reset. A shipped list (nothing
 * is fetched): well-known leaked passwords plus the patterns people build them from (a word with
 * a year or digits appended, keyboard walks, repeated characters). Only entries of 8 or more
 * characters matter, since shorter passwords are refused anyway.
 */

/** Words and whole passwords that top every published leak list. */
const BASE_WORDS = `password passw0rd p@ssword p@ssw0rd qwerty qwertyuiop asdfghjkl zxcvbnm azerty qwertz
iloveyou princess sunshine football baseball basketball soccer hockey superman batman spiderman
dragon monkey shadow master michael jennifer jordan hunter ranger buster tigger charlie daniel
thomas jessica ashley nicole michelle whatever trustno1 letmein welcome hello freedom computer
internet starwars pokemon naruto minecraft fortnite samsung iphone google facebook linkedin
admin administrator root login changeme secret default guest test tester abc abcd abcdef
abcdefgh abcdefg access flower summer winter spring autumn chocolate cookie cheese pepper
killer hannah lovely loveme lover mustang harley hammer silver golden diamond orange banana
apple cherry purple yellow matrix mercedes ferrari porsche corvette yankees dallas chelsea
liverpool arsenal barcelona madrid juventus cowboys eagles steelers packers raiders lakers
family friends forever angel angels blessed jesus christ heaven faith happy smile sunny
peanut butterfly rainbow unicorn kitten puppy doggy tiger lion eagle falcon phoenix wizard
merlin gandalf hobbit warrior ninja samurai pirate zombie vampire monster hacker coffee pizza
money dollar euro bitcoin crypto parley messenger chat secure private password1 pass
zaq12wsx 1qaz2wsx qazwsx qazwsxedc 1q2w3e4r 1q2w3e4r5t 1q2w3e 123qwe qwe123 qweasd qweasdzxc
asdf asdfgh asdf1234 zxcv zxcvbn q1w2e3r4 a1b2c3d4 aa123456 abc123 abc12345 admin123
iloveyou1 letmein1 welcome1 monkey1 dragon1 master1 sunshine1 princess1 football1 baseball1
parol parol123 privet qwerty123 ytrewq yfnfif vjq gfhjkm gfhjkmgfhjkm natasha nikita maxim
dmitry sergey andrey alexander alexandr alexey vladimir olga tatiana svetlana marina elena
irina anastasia ekaterina lubov lyubov zvezda solnce kotik zaika rybka masha sasha dasha
spartak zenit dinamo cska moskva moscow russia rossiya piter`
	.split(/\s+/)
	.filter(Boolean);

/** Appended to words: years, counters and the usual symbols. */
const SUFFIXES = [
	'',
	'1',
	'12',
	'123',
	'1234',
	'12345',
	'123456',
	'!',
	'1!',
	'123!',
	'01',
	'007',
	'69',
	'99',
	'00',
	'11',
	'13',
	'21',
	'22',
	'23',
	'77',
	'88',
	'666',
	'777'
];
const YEARS_FROM = 1960;
const YEARS_TO = 2030;

/** Keyboard walks and digit runs, whole. */
const SEQUENCES = [
	'12345678',
	'123456789',
	'1234567890',
	'0123456789',
	'87654321',
	'987654321',
	'0987654321',
	'11223344',
	'12341234',
	'12121212',
	'11112222',
	'13579246',
	'24682468',
	'147258369',
	'159753',
	'15975321',
	'741852963',
	'369258147',
	'1qazxsw2',
	'qwertyui',
	'asdfghjk',
	'zxcvbnm1',
	'qwerty12',
	'qwerty1234',
	'qwertyuiop123',
	'йцукенгш',
	'йцукенгшщз',
	'фывапролд',
	'ячсмитьб',
	'пароль',
	'пароль123',
	'пароль1234',
	'привет123',
	'любовь',
	'солнышко'
];

function build(): Set<string> {
	const list = new Set<string>(SEQUENCES);
	for (const word of BASE_WORDS) {
		const capitalised = word[0]!.toUpperCase() + word.slice(1);
		for (const stem of [word, capitalised]) {
			for (const suffix of SUFFIXES) list.add(stem + suffix);
			for (let year = YEARS_FROM; year <= YEARS_TO; year++) list.add(stem + year);
		}
		list.add(word + word);
	}
	// Repeated characters: aaaaaaaa, 11111111, …
	for (const ch of 'abcdefghijklmnopqrstuvwxyz0123456789') for (let n = 8; n <= 12; n++) list.add(ch.repeat(n));
	// Only 8+ characters can be chosen at all; keep the set small in memory.
	return new Set([...list].map((p) => p.toLowerCase()).filter((p) => p.length >= 8));
}

let cached: Set<string> | undefined;

/** True for a password on the common list (compared ignoring case). */
export function isCommonPassword(password: string): boolean {
	cached ??= build();
	return cached.has(password.toLowerCase());
}

/** How many entries the list holds (documentation and tests). */
export function commonPasswordCount(): number {
	cached ??= build();
	return cached.size;
}
