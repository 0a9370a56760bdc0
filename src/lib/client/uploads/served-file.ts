/**
 * What the server says a file is (issue 21 item 12): the envelope's `name` and `mime` are the
 * sender's words, while the download is saved under the server's stored name and served as the
 * type read from the bytes. A file card shows the server's name and type, from one HEAD request
 * per upload (remembered for the page's life), and marks a name whose extension does not fit.
 */

/** The name and type an upload is served with. */
export interface ServedFile {
	name: string | null;
	mime: string;
}

/** The file name of a `Content-Disposition` header: `filename*=UTF-8''…` (RFC 5987) first, else `filename="…"`. */
export function dispositionName(header: string | null): string | null {
	if (!header) return null;
	const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
	if (star) {
		try {
			return decodeURIComponent(star[1]!.trim());
		} catch {
			/* a broken encoding: fall back to the plain name */
		}
	}
	const plain = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header) ?? /filename\s*=\s*([^;]+)/i.exec(header);
	return plain ? plain[1]!.replace(/\\(.)/g, '$1').trim() : null;
}

/** Extensions that fit each type the server recognises from bytes (docs/uploads.md). */
const EXTENSIONS: Record<string, readonly string[]> = {
	'application/pdf': ['pdf'],
	'application/zip': ['zip', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'epub', 'jar', 'apk'],
	'application/gzip': ['gz', 'tgz'],
	'application/x-tar': ['tar'],
	'application/x-7z-compressed': ['7z'],
	'application/vnd.rar': ['rar'],
	'application/x-rar-compressed': ['rar'],
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
	'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['pptx'],
	'application/msword': ['doc'],
	'application/x-msdownload': ['exe', 'dll'],
	'application/x-ms-installer': ['msi'],
	'application/x-elf': ['', 'so', 'bin'],
	'application/rtf': ['rtf'],
	'image/jpeg': ['jpg', 'jpeg', 'jfif'],
	'image/png': ['png'],
	'image/gif': ['gif'],
	'image/webp': ['webp'],
	'image/avif': ['avif'],
	'image/bmp': ['bmp'],
	'image/svg+xml': ['svg'],
	'video/mp4': ['mp4', 'm4v'],
	'video/webm': ['webm'],
	'video/ogg': ['ogv', 'ogg'],
	'video/quicktime': ['mov'],
	'video/x-matroska': ['mkv'],
	'video/vnd.avi': ['avi'],
	'video/x-msvideo': ['avi'],
	'audio/mpeg': ['mp3'],
	'audio/ogg': ['ogg', 'oga', 'opus'],
	'audio/opus': ['opus', 'ogg'],
	'audio/webm': ['webm', 'weba'],
	'audio/mp4': ['m4a', 'mp4'],
	'audio/aac': ['aac'],
	'audio/wav': ['wav'],
	'audio/x-wav': ['wav'],
	'audio/flac': ['flac'],
	'audio/x-flac': ['flac']
};

/** The extension of a file name, lower-cased ('' when it has none). */
export function extensionOf(name: string): string {
	const dot = name.lastIndexOf('.');
	return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/**
 * True when `name`'s extension does not fit the served type: "report.pdf" served as
 * `application/x-msdownload`, "photo.jpg" that is a ZIP. Types the table does not know
 * (`application/octet-stream`, plain text) prove nothing, so they never mark.
 */
export function extensionMismatch(name: string, mime: string): boolean {
	const fitting = EXTENSIONS[mime.split(';')[0]!.trim().toLowerCase()];
	if (!fitting) return false;
	return !fitting.includes(extensionOf(name));
}

const known = new Map<string, Promise<ServedFile | null>>();

/** The served name and type of an upload (HEAD, once per URL); null offline or on any failure. */
export function servedFile(url: string, fetchFn: typeof fetch = fetch): Promise<ServedFile | null> {
	let found = known.get(url);
	if (!found) {
		found = fetchFn(url, { method: 'HEAD', credentials: 'same-origin' })
			.then((res) => {
				if (!res.ok) return null;
				return { name: dispositionName(res.headers.get('content-disposition')), mime: res.headers.get('content-type') ?? '' };
			})
			.catch(() => null);
		// A failure (offline) is asked again next time.
		void found.then((value) => {
			if (value === null) known.delete(url);
		});
		known.set(url, found);
	}
	return found;
}
