// A voice message's waveform, computed in the browser from the file: decoded with Web Audio,
// reduced to a few dozen bars, kept per upload id. Imported lazily by the audio player.

/** Bars drawn for one recording. */
export const WAVEFORM_BARS = 48;
/** Files larger than this get no waveform: decoding holds the whole PCM (a minute of 48 kHz stereo is 23 MB). */
export const WAVEFORM_MAX_BYTES = 4 * 1024 * 1024;
/** Waveforms kept in memory (least recently computed dropped first). */
export const WAVEFORM_CACHE_SIZE = 200;
/** Samples read per bar at most: a long recording is sampled at a stride, not read whole. */
const SAMPLES_PER_BAR_MAX = 4096;
/** The quietest bar still drawn, as a share of the loudest (silence stays visible as a line). */
export const WAVEFORM_FLOOR = 0.05;

/**
 * Peak amplitude per bar over `bars` equal slices of `samples`, scaled so the loudest bar is 1
 * (all zeros for silence), each at least WAVEFORM_FLOOR. Fewer samples than bars: one bar per sample.
 */
export function downsample(samples: ArrayLike<number>, bars: number = WAVEFORM_BARS): number[] {
	const count = Math.max(0, Math.min(bars, samples.length));
	const peaks: number[] = [];
	for (let bar = 0; bar < count; bar++) {
		const from = Math.floor((bar * samples.length) / count);
		const to = Math.floor(((bar + 1) * samples.length) / count);
		const stride = Math.max(1, Math.floor((to - from) / SAMPLES_PER_BAR_MAX));
		let peak = 0;
		for (let i = from; i < to; i += stride) peak = Math.max(peak, Math.abs(samples[i]!));
		peaks.push(peak);
	}
	const loudest = Math.max(0, ...peaks);
	if (loudest === 0) return peaks.map(() => 0);
	return peaks.map((peak) => Math.max(WAVEFORM_FLOOR, peak / loudest));
}

const computed = new Map<string, Promise<number[] | null>>();

/**
 * The waveform of the upload `id` served at `url` (`size` bytes), or null when it is too large or
 * cannot be decoded. One computation per id; the same promise is shared by every player showing it.
 */
export function waveformOf(id: string, url: string, size: number): Promise<number[] | null> {
	let result = computed.get(id);
	if (result) {
		// Used again: move it to the young end of the Map's insertion order.
		computed.delete(id);
		computed.set(id, result);
		return result;
	}
	result = size > WAVEFORM_MAX_BYTES ? Promise.resolve(null) : decode(url).catch(() => null);
	if (computed.size >= WAVEFORM_CACHE_SIZE) computed.delete(computed.keys().next().value!);
	computed.set(id, result);
	return result;
}

async function decode(url: string): Promise<number[] | null> {
	const response = await fetch(url, { credentials: 'same-origin' });
	if (!response.ok) return null;
	const bytes = await response.arrayBuffer();
	if (bytes.byteLength > WAVEFORM_MAX_BYTES) return null;
	// An offline context decodes without an audio device and without the autoplay policy.
	const context = new OfflineAudioContext(1, 1, 44_100);
	const audio = await context.decodeAudioData(bytes);
	return downsample(audio.getChannelData(0));
}
