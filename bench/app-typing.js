// Typed in one browser → painted in another: `ROUND_TRIPS` messages, one after another, each
// waited for on the other side (p50, p99).
const ROUND_TRIPS = 200;

function percentile(sorted, p) {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** `page` (signed in, online) types into `chat`; a second browser context signed in with `cookies` watches. */
export async function roundTrips({ browser, page, origin, cookies, chat }) {
	const other = await browser.newContext({ locale: 'en-US' });
	try {
		await other.addCookies(cookies);
		const otherPage = await other.newPage();
		await otherPage.goto(`${origin}/c/${chat.id}`);
		await otherPage.locator(`[data-message-id="${chat.lastId}"]`).waitFor({ timeout: 60_000 });
		await page.goto(`${origin}/c/${chat.id}`);
		await page.locator(`[data-message-id="${chat.lastId}"]`).waitFor({ timeout: 60_000 });
		await page.getByRole('main').getByText('Up to date').waitFor({ timeout: 60_000 });
		await otherPage.evaluate(() => {
			window.__arrivals = {};
			new MutationObserver(() => {
				for (const el of document.querySelectorAll('[data-message-id]')) {
					const m = /rt-(\d+)-end/.exec(el.textContent ?? '');
					if (m && !(m[1] in window.__arrivals)) {
						const at = performance.timeOrigin + performance.now();
						window.__arrivals[m[1]] = at;
						requestAnimationFrame(() => (window.__arrivals[m[1]] = Math.max(at, performance.timeOrigin + performance.now())));
					}
				}
			}).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
		});
		const box = page.getByRole('textbox', { name: 'Message' });
		const sentAt = [];
		for (let i = 0; i < ROUND_TRIPS; i++) {
			await box.fill(`rt-${i}-end`);
			sentAt.push(await page.evaluate(() => performance.timeOrigin + performance.now()));
			await box.press('Enter');
			await otherPage.waitForFunction((n) => n in window.__arrivals, i, { polling: 'raf' });
		}
		const arrivals = await otherPage.evaluate(() => window.__arrivals);
		const latencies = sentAt.map((t, i) => arrivals[i] - t).sort((a, b) => a - b);
		return { n: ROUND_TRIPS, p50: Math.round(percentile(latencies, 50)), p99: Math.round(percentile(latencies, 99)) };
	} finally {
		await other.close();
	}
}
