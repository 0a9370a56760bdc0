/**
 * A voice message being recorded: the microphone through MediaRecorder (Opus in WebM where the
 * browser has it), the elapsed time, a length cap that stops the recording by itself, and a
 * cancel that throws it away. The microphone is released as soon as recording ends.
 */

/** Voice message limits, named. */
export const VOICE_LIMITS = {
	/** longest voice message (s): it is stopped and sent at this length */
	maxSeconds: 15 * 60,
	/** a recording shorter than this is a slip of the finger: not sent */
	minSeconds: 0.5,
	/** MediaRecorder hands over data this often (ms), so that a stop loses little */
	timesliceMs: 1_000
} as const;

/** Preferred recording types, best first. */
const TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/mp4'];

/** What a finished recording gives. */
export interface Recording {
	blob: Blob;
	/** seconds, measured while recording (a recorded WebM carries no duration of its own) */
	duration: number;
	name: string;
}

export class VoiceRecorder {
	#recorder: MediaRecorder | null = null;
	#stream: MediaStream | null = null;
	#chunks: Blob[] = [];
	#startedAt = 0;
	#limitTimer: ReturnType<typeof setTimeout> | null = null;
	#finished: ((recording: Recording | null) => void) | null = null;

	/** Whether this browser can record at all. */
	static get supported(): boolean {
		return typeof MediaRecorder === 'function' && typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;
	}

	get recording(): boolean {
		return this.#recorder !== null;
	}

	/** Seconds since the recording started. */
	get elapsed(): number {
		return this.#recorder ? (performance.now() - this.#startedAt) / 1000 : 0;
	}

	/**
	 * Asks for the microphone and starts; `onLimit` is called with the recording when it reached
	 * `VOICE_LIMITS.maxSeconds`. Rejects when the microphone is refused or missing.
	 */
	async start(onLimit: (recording: Recording | null) => void): Promise<void> {
		if (this.#recorder) return;
		const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
		const mimeType = TYPES.find((t) => MediaRecorder.isTypeSupported(t));
		const recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
		this.#stream = stream;
		this.#recorder = recorder;
		this.#chunks = [];
		recorder.ondataavailable = (event) => {
			if (event.data.size > 0) this.#chunks.push(event.data);
		};
		recorder.start(VOICE_LIMITS.timesliceMs);
		this.#startedAt = performance.now();
		this.#limitTimer = setTimeout(() => void this.stop().then(onLimit), VOICE_LIMITS.maxSeconds * 1000);
	}

	/** Stops and gives the recording (null when too short or nothing was recorded). */
	stop(): Promise<Recording | null> {
		const recorder = this.#recorder;
		if (!recorder) return Promise.resolve(null);
		const duration = Math.min(VOICE_LIMITS.maxSeconds, this.elapsed);
		return new Promise<Recording | null>((resolve) => {
			this.#finished = resolve;
			recorder.onstop = () => {
				// the container without codec parameters: the server keeps an `audio/…` claim as audio
				const type = (recorder.mimeType || 'audio/webm').split(';')[0]!;
				const blob = new Blob(this.#chunks, { type });
				this.#release();
				const extension = type.split('/')[1] === 'mp4' ? 'm4a' : type.split('/')[1];
				resolve(
					duration < VOICE_LIMITS.minSeconds || blob.size === 0
						? null
						: { blob, duration: Math.round(duration * 10) / 10, name: `voice.${extension}` }
				);
			};
			recorder.stop();
		});
	}

	/** Throws the recording away. */
	cancel(): void {
		const recorder = this.#recorder;
		if (!recorder) return;
		recorder.onstop = null;
		recorder.stop();
		this.#finished?.(null);
		this.#release();
	}

	#release(): void {
		if (this.#limitTimer) clearTimeout(this.#limitTimer);
		this.#limitTimer = null;
		for (const track of this.#stream?.getTracks() ?? []) track.stop();
		this.#stream = null;
		this.#recorder = null;
		this.#chunks = [];
		this.#finished = null;
	}
}
