/**
 * A voice message being recorded, as runes state for the voice button: whether it records, the
 * elapsed time (ticking), and a notice to announce (cancelled, queued, microphone refused).
 */
import { VoiceRecorder, type Recording } from '../uploads/voice-recorder.js';

/** How often the shown elapsed time is updated (ms). */
const TICK_MS = 250;

export type VoiceNotice = '' | 'cancelled' | 'sending' | 'denied';

export class VoiceState {
	recording = $state(false);
	elapsed = $state(0);
	notice = $state<VoiceNotice>('');
	#recorder = new VoiceRecorder();
	#ticker: ReturnType<typeof setInterval> | null = null;
	#starting: Promise<void> | null = null;
	/** a stop asked for while the microphone was still being opened */
	#stopAfterStart: boolean | null = null;

	constructor(private readonly send: (recording: Recording) => Promise<unknown>) {}

	start(): void {
		if (this.recording || this.#starting) return;
		this.notice = '';
		this.#stopAfterStart = null;
		this.#starting = this.#recorder
			.start((recording) => void this.#finish(recording))
			.then(() => {
				this.recording = true;
				this.elapsed = 0;
				this.#ticker = setInterval(() => (this.elapsed = this.#recorder.elapsed), TICK_MS);
				if (this.#stopAfterStart !== null) void this.stop(this.#stopAfterStart);
			})
			.catch(() => {
				this.notice = 'denied';
			})
			.finally(() => (this.#starting = null));
	}

	/** Stops; `send` false throws the recording away. */
	async stop(send: boolean): Promise<void> {
		if (this.#starting) {
			this.#stopAfterStart = send;
			return;
		}
		if (!this.recording) return;
		if (!send) {
			this.#recorder.cancel();
			this.#ended();
			this.notice = 'cancelled';
			return;
		}
		const recording = await this.#recorder.stop();
		await this.#finish(recording);
	}

	/** Stops without sending (the view closes). */
	dispose(): void {
		this.#recorder.cancel();
		this.#ended();
	}

	async #finish(recording: Recording | null): Promise<void> {
		this.#ended();
		if (!recording) {
			this.notice = 'cancelled';
			return;
		}
		this.notice = 'sending';
		await this.send(recording);
	}

	#ended(): void {
		if (this.#ticker) clearInterval(this.#ticker);
		this.#ticker = null;
		this.recording = false;
		this.elapsed = 0;
	}
}
