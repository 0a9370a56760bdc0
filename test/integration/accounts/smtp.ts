// A real SMTP server on a loopback port, collecting the mails Parley sends.
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

/** One received mail: envelope recipients and the raw message. */
export interface ReceivedMail {
	to: string[];
	raw: string;
}

/** Starts an SMTP server on 127.0.0.1:0 without TLS or auth; `close()` stops it. */
export async function startSmtpServer(): Promise<{ url: string; mails: ReceivedMail[]; close(): Promise<void> }> {
	const mails: ReceivedMail[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.server.address() as AddressInfo;
	return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The reset link in a mail (quoted-printable soft breaks undone). */
export function resetLinkIn(raw: string): string {
	const text = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
	const match = /https?:\/\/\S+\/reset-password\?token=[a-z2-7]+/.exec(text);
	if (!match) throw new Error('no reset link in mail:\n' + raw);
	return match[0];
}
