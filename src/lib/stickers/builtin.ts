/**
 * The built-in sticker pack "parley": original art drawn for Parley (scripts/make-stickers.js
 * writes static/stickers/parley/<id>.svg). Shared by client and server: the server lists it with
 * the personal packs, the client shows it from the precached static files (offline too).
 */

/** The built-in pack's id in sticker envelopes (`{pack: 'parley', id}`); personal packs have random ids. */
export const BUILTIN_PACK_ID = 'parley';

/** Languages the built-in names are written in. */
export type StickerLocale = 'en' | 'ru';

/** One built-in sticker: its id, the emoji it stands for, and its name (the image's alt text). */
export interface BuiltinSticker {
	id: string;
	emoji: string;
	name: Record<StickerLocale, string>;
}

/** The pack's title. */
export const BUILTIN_PACK_TITLE: Record<StickerLocale, string> = { en: 'Parley', ru: 'Parley' };

/** The stickers, in picker order. */
export const BUILTIN_STICKERS: readonly BuiltinSticker[] = [
	{ id: 'hello', emoji: '👋', name: { en: 'Hello', ru: 'Привет' } },
	{ id: 'thanks', emoji: '🙏', name: { en: 'Thanks', ru: 'Спасибо' } },
	{ id: 'yes', emoji: '👍', name: { en: 'Yes', ru: 'Да' } },
	{ id: 'no', emoji: '🙅', name: { en: 'No', ru: 'Нет' } },
	{ id: 'love', emoji: '😍', name: { en: 'Love', ru: 'Люблю' } },
	{ id: 'laugh', emoji: '😂', name: { en: 'Laugh', ru: 'Смешно' } },
	{ id: 'sad', emoji: '😢', name: { en: 'Sad', ru: 'Грустно' } },
	{ id: 'wow', emoji: '😮', name: { en: 'Wow', ru: 'Ого' } },
	{ id: 'ok', emoji: '👌', name: { en: 'OK', ru: 'Хорошо' } },
	{ id: 'party', emoji: '🎉', name: { en: 'Party', ru: 'Праздник' } },
	{ id: 'sleep', emoji: '😴', name: { en: 'Sleepy', ru: 'Сплю' } },
	{ id: 'thinking', emoji: '🤔', name: { en: 'Thinking', ru: 'Думаю' } },
	{ id: 'angry', emoji: '😠', name: { en: 'Angry', ru: 'Сержусь' } },
	{ id: 'coffee', emoji: '☕', name: { en: 'Coffee break', ru: 'Кофе-брейк' } }
];

const BY_ID = new Map(BUILTIN_STICKERS.map((s) => [s.id, s]));

/** The built-in sticker `id`, or undefined. */
export function builtinSticker(id: string): BuiltinSticker | undefined {
	return BY_ID.get(id);
}

/** Where a built-in sticker's image is served (a static file, precached by the service worker). */
export function builtinStickerUrl(id: string): string {
	return `/stickers/${BUILTIN_PACK_ID}/${id}.svg`;
}

/** A name in `locale` (English for any other language). */
export function localized(names: Record<StickerLocale, string>, locale: string): string {
	return locale === 'ru' ? names.ru : names.en;
}
