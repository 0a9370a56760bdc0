/** Texts of the mails Parley sends, in English and Russian. */
import type { MailMessage } from './index.js';

/** Languages mails are written in. */
export type MailLocale = 'en' | 'ru';

/** The password-reset mail; `url` holds the one-time token. */
export function resetMail(input: { to: string; username: string; url: string; validMinutes: number; locale: MailLocale }): MailMessage {
	if (input.locale === 'ru')
		return {
			to: input.to,
			subject: 'Parley: сброс пароля',
			text: `Здравствуйте, ${input.username}!\n\nЧтобы задать новый пароль, откройте ссылку (она действует ${input.validMinutes} мин. и только один раз):\n\n${input.url}\n\nЕсли вы не просили сбросить пароль, просто удалите это письмо.\n`
		};
	return {
		to: input.to,
		subject: 'Parley: reset your password',
		text: `Hello ${input.username},\n\nTo choose a new password, open this link (it works once, for ${input.validMinutes} minutes):\n\n${input.url}\n\nIf you did not ask for this, ignore this mail.\n`
	};
}
