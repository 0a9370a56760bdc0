/** Outgoing mail through nodemailer when SMTP_URL is set; without it, Parley sends no mail. */
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

/** One plain-text message. */
export interface MailMessage {
	to: string;
	subject: string;
	text: string;
}

/** What the app needs of a mail transport. */
export interface Mailer {
	send(message: MailMessage): Promise<void>;
	close(): void;
}

/** Give up on an unresponsive SMTP server after this long (a reset request must not hang). */
const SMTP_TIMEOUT_MS = 15_000;

/** A mailer for `smtpUrl` (smtp:// or smtps://), or null when unset. */
export function createMailer(options: { smtpUrl: string | undefined; from: string }): Mailer | null {
	if (!options.smtpUrl) return null;
	// nodemailer parses `url` (host, port, TLS, credentials) and applies the other options beside it.
	const transport = nodemailer.createTransport({
		url: options.smtpUrl,
		connectionTimeout: SMTP_TIMEOUT_MS,
		greetingTimeout: SMTP_TIMEOUT_MS,
		socketTimeout: SMTP_TIMEOUT_MS
	} as SMTPTransport.Options);
	return {
		async send(message) {
			await transport.sendMail({ from: options.from, ...message });
		},
		close: () => transport.close()
	};
}
