// Issue 21 item 12: the file card's name and type come from the server; an extension that does not
// fit the served type is marked.
import { describe, expect, it } from 'vitest';
import { dispositionName, extensionMismatch, servedFile } from '../../../src/lib/client/uploads/served-file.js';

describe('the served name and type of a file', () => {
	it('reads the RFC 5987 name first, then the quoted fallback', () => {
		expect(dispositionName(`attachment; filename="_.pdf"; filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82.pdf`)).toBe('отчёт.pdf');
		expect(dispositionName('attachment; filename="report.exe"')).toBe('report.exe');
		expect(dispositionName('inline')).toBeNull();
		expect(dispositionName(null)).toBeNull();
	});

	it('marks an extension that does not fit the type read from the bytes, and only then', () => {
		expect(extensionMismatch('report.pdf', 'application/x-msdownload')).toBe(true);
		expect(extensionMismatch('photo.jpg', 'application/zip')).toBe(true);
		expect(extensionMismatch('report', 'application/pdf')).toBe(true);
		expect(extensionMismatch('report.PDF', 'application/pdf')).toBe(false);
		expect(extensionMismatch('sheet.xlsx', 'application/zip')).toBe(false);
		// Types that prove nothing never mark.
		expect(extensionMismatch('notes.pdf', 'application/octet-stream')).toBe(false);
		expect(extensionMismatch('notes.txt', 'text/plain; charset=utf-8')).toBe(false);
	});

	it('asks the server once per URL with HEAD, and again after a failure', async () => {
		const calls: string[] = [];
		let online = false;
		const fake = (async (url: string, init?: RequestInit) => {
			calls.push(`${init?.method} ${url}`);
			if (!online) throw new TypeError('offline');
			return new Response(null, {
				headers: { 'content-type': 'application/x-msdownload', 'content-disposition': `attachment; filename="report.exe"` }
			});
		}) as typeof fetch;
		expect(await servedFile('/api/uploads/a', fake)).toBeNull();
		online = true;
		expect(await servedFile('/api/uploads/a', fake)).toEqual({ name: 'report.exe', mime: 'application/x-msdownload' });
		expect(await servedFile('/api/uploads/a', fake)).toEqual({ name: 'report.exe', mime: 'application/x-msdownload' });
		expect(calls).toEqual(['HEAD /api/uploads/a', 'HEAD /api/uploads/a']);
	});
});
