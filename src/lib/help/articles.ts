/**
 * The help centre's articles (/help, issue 20), in English and Russian. Plain data compiled into
 * the help page's own chunk, which the service worker precaches with the build: the help centre
 * reads offline. Each paragraph is plain text; `searchHelp` finds articles for the search box.
 */
import { tokenize } from '$lib/search/query';

export type HelpLocale = 'en' | 'ru';

/** One article: an anchor on /help, a title and paragraphs per language. */
export interface HelpArticle {
	slug: string;
	/** for admins of the server (shown under its own heading) */
	admin?: boolean;
	title: Record<HelpLocale, string>;
	body: Record<HelpLocale, string[]>;
}

export const HELP_ARTICLES: readonly HelpArticle[] = [
	{
		slug: 'getting-started',
		title: { en: 'Getting started', ru: 'С чего начать' },
		body: {
			en: [
				'Parley keeps your chats on this device and in step with the server. Start a chat with “New chat”: pick a person, or create a group or a channel.',
				'Type in the box at the bottom and press Enter to send; Shift+Enter starts a new line. Messages show a clock while they wait to be sent, one tick once the server has them, and two once they are read.',
				'Search every chat with the box at the top of the chat list (Ctrl+K or /).'
			],
			ru: [
				'Parley хранит ваши беседы на этом устройстве и сверяет их с сервером. Начните беседу кнопкой «Новая беседа»: выберите человека или создайте группу или канал.',
				'Пишите в поле внизу и нажимайте Enter, чтобы отправить; Shift+Enter — новая строка. Пока сообщение ждёт отправки, у него часы, когда сервер его получил — одна галочка, когда прочитано — две.',
				'Искать по всем беседам можно в поле над списком бесед (Ctrl+K или /).'
			]
		}
	},
	{
		slug: 'install',
		title: { en: 'Installing to the home screen', ru: 'Установка на главный экран' },
		body: {
			en: [
				'Parley installs from the browser like an app. On a phone, open the browser menu and choose “Add to Home screen” (Safari: Share, then “Add to Home Screen”). On a computer, use the install button in the address bar.',
				'The installed app opens in its own window and works offline, like the page in the browser.'
			],
			ru: [
				'Parley устанавливается из браузера как приложение. На телефоне откройте меню браузера и выберите «Добавить на главный экран» (Safari: «Поделиться», затем «На экран „Домой“»). На компьютере нажмите кнопку установки в адресной строке.',
				'Установленное приложение открывается в своём окне и работает без сети так же, как страница в браузере.'
			]
		}
	},
	{
		slug: 'offline',
		title: { en: 'Using Parley offline', ru: 'Parley без сети' },
		body: {
			en: [
				'Chats you have opened are kept on this device: you can read them, write and search with no network. Messages written offline wait with a clock and are sent once the connection is back.',
				'Offline, search looks through the messages on this device only and says so; online it also asks the server, which knows every message of your chats.'
			],
			ru: [
				'Открытые вами беседы хранятся на этом устройстве: их можно читать, писать в них и искать без сети. Сообщения, написанные без сети, ждут с часами и уходят, когда связь вернётся.',
				'Без сети поиск смотрит только сообщения на этом устройстве и говорит об этом; в сети он спрашивает и сервер, который знает все сообщения ваших бесед.'
			]
		}
	},
	{
		slug: 'privacy',
		title: { en: 'Privacy and blocking', ru: 'Приватность и блокировка' },
		body: {
			en: [
				'In Settings → Privacy choose who sees when you were last online and whether others see that you have read their messages.',
				'To block someone, open their profile card and choose “Block”. A blocked person cannot write to you directly or see your presence; you can unblock them in Contacts.',
				'Signing out removes your chats, drafts and search index from this device.'
			],
			ru: [
				'В «Настройки → Приватность» выберите, кто видит, когда вы были в сети, и видят ли другие, что вы прочитали их сообщения.',
				'Чтобы заблокировать человека, откройте его карточку и выберите «Заблокировать». Заблокированный не может писать вам лично и не видит, в сети ли вы; разблокировать можно в «Контактах».',
				'Выход из аккаунта удаляет с этого устройства ваши беседы, черновики и поисковый индекс.'
			]
		}
	},
	{
		slug: 'notifications',
		title: { en: 'Notifications', ru: 'Уведомления' },
		body: {
			en: [
				'Allow notifications when Parley asks, and new messages reach you even when the app is closed. Mute a chat from its info panel to keep it quiet; mentions of you still notify.',
				'On a phone, notifications need the app installed to the home screen (iPhone) or the browser allowed to run in the background.'
			],
			ru: [
				'Разрешите уведомления, когда Parley спросит, — и новые сообщения дойдут до вас, даже когда приложение закрыто. Чтобы беседа не беспокоила, отключите звук в её панели сведений; упоминания вас всё равно придут.',
				'На телефоне для уведомлений нужно установить приложение на главный экран (iPhone) или разрешить браузеру работать в фоне.'
			]
		}
	},
	{
		slug: 'shortcuts',
		title: { en: 'Keyboard shortcuts', ru: 'Сочетания клавиш' },
		body: {
			en: [
				'Ctrl+K or / — search all chats. Ctrl+F — find in this chat. ? — the list of shortcuts. Esc — close.',
				'On a message: ↑ ↓ move, Enter opens its menu, R replies, E edits, P pins, Delete deletes. ↑ in an empty message box edits your last message.'
			],
			ru: [
				'Ctrl+K или / — поиск по всем беседам. Ctrl+F — поиск в этой беседе. ? — список сочетаний. Esc — закрыть.',
				'На сообщении: ↑ ↓ — перейти, Enter — меню, R — ответить, E — изменить, P — закрепить, Delete — удалить. ↑ в пустом поле ввода — изменить своё последнее сообщение.'
			]
		}
	},
	{
		slug: 'stickers',
		title: { en: 'Stickers', ru: 'Стикеры' },
		body: {
			en: [
				'Open the sticker button next to the message box to send a sticker. Make your own pack from pictures in the sticker panel; click a sticker in a chat to see its pack and add it.'
			],
			ru: [
				'Кнопка стикеров рядом с полем ввода открывает панель: выберите стикер, чтобы отправить. Свой набор можно сделать из картинок в той же панели; нажмите на стикер в беседе, чтобы увидеть его набор и добавить себе.'
			]
		}
	},
	{
		slug: 'backups',
		admin: true,
		title: { en: 'Backups (admins)', ru: 'Резервные копии (администраторам)' },
		body: {
			en: [
				'Settings → Admin → Backups makes a backup of the whole server (database and uploaded files) and lists the ones kept. Set BACKUP_INTERVAL_HOURS to make them on a schedule.',
				'From the command line: npm run backup -- --out FILE, and npm run restore -- FILE on a stopped server.'
			],
			ru: [
				'«Настройки → Администрирование → Резервные копии» делает копию всего сервера (база данных и загруженные файлы) и показывает сохранённые. Переменная BACKUP_INTERVAL_HOURS включает копии по расписанию.',
				'Из командной строки: npm run backup -- --out ФАЙЛ, а npm run restore -- ФАЙЛ — на остановленном сервере.'
			]
		}
	},
	{
		slug: 'lan',
		admin: true,
		title: { en: 'Running on a LAN (admins)', ru: 'Работа в локальной сети (администраторам)' },
		body: {
			en: [
				'Start Parley with HOST=0.0.0.0 and ORIGIN set to the address people will open, for example http://192.168.1.10:3000. Installing to the home screen and notifications need https: put a reverse proxy with a certificate in front (see docs/deployment.md).'
			],
			ru: [
				'Запустите Parley с HOST=0.0.0.0 и ORIGIN, равным адресу, который будут открывать, например http://192.168.1.10:3000. Для установки на главный экран и уведомлений нужен https: поставьте перед сервером обратный прокси с сертификатом (см. docs/deployment.md).'
			]
		}
	}
];

/** One help article found: where it is and its title. */
export interface HelpHit {
	slug: string;
	title: string;
}

/** Letters folded as search folds them (case, ё/е, accents). */
const fold = (word: string) => word.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/ё/g, 'е');

/**
 * Articles whose words start with every word of `q` (or with its first five letters, a crude stem
 * that serves both languages: "уведомлений" finds "уведомления"), titles first.
 */
export function searchHelp(q: string, locale: HelpLocale, max = 5): HelpHit[] {
	const words = tokenize(q).map((t) => fold(t.text));
	if (words.length === 0) return [];
	const stem = (word: string) => ([...word].length > 6 ? [...word].slice(0, 5).join('') : word);
	const scored: { hit: HelpHit; score: number }[] = [];
	for (const article of HELP_ARTICLES) {
		const title = tokenize(article.title[locale]).map((t) => fold(t.text));
		const body = tokenize(article.body[locale].join(' ')).map((t) => fold(t.text));
		const has = (list: string[], word: string) => list.some((w) => w.startsWith(stem(word)));
		if (!words.every((word) => has(title, word) || has(body, word))) continue;
		const score = words.filter((word) => has(title, word)).length;
		scored.push({ hit: { slug: article.slug, title: article.title[locale] }, score });
	}
	return scored
		.sort((a, b) => b.score - a.score)
		.slice(0, max)
		.map((s) => s.hit);
}
