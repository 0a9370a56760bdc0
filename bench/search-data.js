// Synthetic chat history for `npm run bench -- search`: people, conversations and messages in
// Russian and English, made from word lists with Zipf-like frequencies (a few words are everywhere,
// most are rare), inflected forms included so stemming has work to do. Seeded: the same data
// every run.

/** Common Russian words in several forms (nouns, verbs, adjectives as people write them). */
const RU = `привет как дела что делаешь сегодня завтра вчера встреча встречи встречу встретимся встречаемся
сообщение сообщения сообщений сообщением написал написала напишу напиши пишу писал работа работы работе
работаю работаешь работает работали дом дома домой дому машина машину машины машиной поехали поеду поедем
едем ехать приеду приедешь приехал приехала адрес адреса адресу время времени минут минуты час часа часов
день дня дней неделя недели неделе неделю месяц месяца года году деньги денег деньгами оплата оплату оплатил
заказ заказа заказал заказала доставка доставки доставку документ документы документов файл файлы файла отправил
отправила отправлю отправь получил получила получили посмотри посмотрите посмотрел посмотрела хорошо отлично
спасибо пожалуйста конечно давай давайте можно нужно надо думаю думаешь кажется знаю знаешь понял поняла
позвони позвоню звонил звонила телефон телефона номер номера проект проекта проекте проекты задача задачи
задачу сделал сделала сделаем сделать готово готов готова вопрос вопросы вопроса ответ ответа ответил ответила
утром вечером ночью обед обеда ужин ужина кофе чай магазин магазине купить купил купила куплю цена цены
билет билеты билетов поезд поезда самолёт самолета отпуск отпуска отпуске море моря погода погоды дождь
снег солнце холодно тепло жарко город города городе москва москве петербург питер улица улице дорога дороги
школа школе ребёнок ребенка дети детей мама маме папа папе друг друга друзья друзей праздник праздника подарок
подарки фото фотографии видео ссылка ссылку ссылки встретил ошибка ошибки ошибку исправил исправила проверил
проверила проверь релиз релиза версия версии сервер сервера база базы данных отчёт отчета отчёты квартал
квартальный бюджет бюджета клиент клиента клиенты клиентов договор договора подписал подписали важно срочно
потом сейчас скоро позже раньше опять снова уже ещё тоже только очень много мало лучше хуже новый новая новое
новые старый старая большой большая маленький хороший хорошая красивый красивая интересно смешно правда`;

/** Common English words, with inflected forms. */
const EN = `hello hi thanks thank you please sure okay yes no maybe today tomorrow yesterday morning evening night
meeting meetings meet meets met call calls called calling phone number message messages sent send sending
work working worked works project projects task tasks done doing finish finished finishing review reviewed
release releases released server servers database deploy deployed deploying build builds broken fix fixed
fixing bug bugs issue issues error errors test tests testing tested run running runs ran runner report
reports budget quarter quarterly client clients customer customers contract contracts signed sign order orders
ordered delivery deliver delivered address addresses price prices pay paid payment invoice invoices document
documents file files link links photo photos video videos lunch dinner coffee tea shop shopping buy bought
ticket tickets train flight flights trip travel travelling holiday vacation beach sea weather rain snow sunny
cold warm hot city street road home house car drive driving drove school kids family friend friends party
birthday gift gifts week weeks month months year years time minutes hour hours late early soon later again
already also only very much many good great nice better worse new old big small happy funny really think
thought know knew understand understood question questions answer answered look looking looked check checked
checking update updated updates plan plans planned planning team teams office remote weekend monday friday`;

/** Words that occur in a few dozen messages each: the "rare word" queries. */
export const RARE_WORDS = `квазар вертолётчик палисадник шифоньер кукушонок гиппопотам мельхиор эскимосы бульдозерист
контрабас xylophone quasar marzipan lighthouse zeppelin pomegranate kaleidoscope saxophone porcupine
trampoline`.split(/\s+/);

/**
 * A small, fast, seeded PRNG (mulberry32).
 * @param {number} seed
 * @returns {() => number}
 */
export function random(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * Draws from items with weights 1 / (rank + offset)^s (a cumulative table and binary search).
 * @template T
 * @param {T[]} items
 * @param {() => number} rand
 * @param {{ s?: number, offset?: number }} [options]
 * @returns {() => T}
 */
function zipf(items, rand, { s = 1, offset = 1 } = {}) {
	/** @type {number[]} */
	const cumulative = [];
	let total = 0;
	for (let i = 0; i < items.length; i++) cumulative.push((total += 1 / Math.pow(i + offset, s)));
	return () => {
		const x = rand() * total;
		let lo = 0;
		let hi = cumulative.length - 1;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (/** @type {number} */ (cumulative[mid]) < x) lo = mid + 1;
			else hi = mid;
		}
		return /** @type {T} */ (items[lo]);
	};
}

/** @param {string} text */
const words = (text) => text.split(/\s+/).filter(Boolean);
export const RU_WORDS = words(RU);
export const EN_WORDS = words(EN);

/**
 * The people and conversations: `users` ids (given), `conversations` of 2, 3–12 and 20–60 members,
 * each with a language (Russian, English or both) and a share of the messages (Zipf-like sizes).
 */
/**
 * @param {{ userIds: string[], count: number, seed: number }} options
 * @returns {{ conversations: Array<{ kind: 'direct' | 'group', members: string[], language: 'ru' | 'en' | 'mixed' }>, weights: number[] }}
 */
export function planConversations({ userIds, count, seed }) {
	const rand = random(seed);
	const pick = () => /** @type {string} */ (userIds[Math.floor(rand() * userIds.length)]);
	/** @type {Array<{ kind: 'direct' | 'group', members: string[], language: 'ru' | 'en' | 'mixed' }>} */
	const conversations = [];
	/** @type {Set<string>} */
	const pairs = new Set();
	for (let i = 0; i < count; i++) {
		const kind = i < count * 0.75 ? 'direct' : 'group';
		const size = kind === 'direct' ? 2 : i < count * 0.975 ? 3 + Math.floor(rand() * 10) : 20 + Math.floor(rand() * 41);
		/** @type {Set<string>} */
		const members = new Set();
		while (members.size < size) members.add(pick());
		const list = [...members];
		if (kind === 'direct') {
			const key = [...list].sort().join(':');
			if (pairs.has(key)) {
				i--;
				continue;
			}
			pairs.add(key);
		}
		const r = rand();
		conversations.push({ kind, members: list, language: r < 0.55 ? 'ru' : r < 0.85 ? 'en' : 'mixed' });
	}
	// Sizes: a few long conversations, many short ones, in no particular order of kind.
	const order = conversations.map((_, i) => i).sort(() => rand() - 0.5);
	/** @type {number[]} */
	const weights = new Array(conversations.length);
	order.forEach((index, rank) => (weights[index] = 1 / Math.pow(rank + 10, 1.1)));
	return { conversations, weights };
}

/**
 * Yields `total` messages `{conversation, author, createdAt, text}` in time order over `days`,
 * each in its conversation's language, 3–25 words, sometimes with a rare word.
 */
/**
 * @param {{ conversations: Array<{ members: string[], language: string }>, weights: number[], total: number, days: number, seed: number }} options
 * @returns {Generator<{ conversation: number, author: string, createdAt: number, text: string }>}
 */
export function* generateMessages({ conversations, weights, total, days, seed }) {
	const rand = random(seed + 1);
	// A conversation by its share of the messages (cumulative weights, binary search).
	/** @type {number[]} */
	const cumulative = [];
	let sum = 0;
	for (const w of weights) cumulative.push((sum += w));
	const chooseConversation = () => {
		const x = rand() * sum;
		let lo = 0;
		let hi = cumulative.length - 1;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (/** @type {number} */ (cumulative[mid]) < x) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	};
	const ru = zipf(RU_WORDS, rand, { s: 1, offset: 2 });
	const en = zipf(EN_WORDS, rand, { s: 1, offset: 2 });
	const start = Date.now() - days * 86_400_000;
	const step = (days * 86_400_000) / total;
	for (let i = 0; i < total; i++) {
		const c = chooseConversation();
		const conversation = /** @type {{ members: string[], language: string }} */ (conversations[c]);
		const length = 3 + Math.floor(Math.pow(rand(), 2) * 23);
		/** @type {string[]} */
		const parts = [];
		for (let w = 0; w < length; w++) {
			const language = conversation.language === 'mixed' ? (rand() < 0.5 ? 'ru' : 'en') : conversation.language;
			parts.push(language === 'ru' ? ru() : en());
		}
		if (rand() < 0.0004)
			parts.splice(Math.floor(rand() * parts.length), 0, /** @type {string} */ (RARE_WORDS[Math.floor(rand() * RARE_WORDS.length)]));
		let text = parts.join(' ');
		text = text.charAt(0).toUpperCase() + text.slice(1) + (rand() < 0.2 ? '?' : rand() < 0.5 ? '.' : '');
		yield {
			conversation: c,
			author: /** @type {string} */ (conversation.members[Math.floor(rand() * conversation.members.length)]),
			createdAt: Math.round(start + i * step),
			text
		};
	}
}
