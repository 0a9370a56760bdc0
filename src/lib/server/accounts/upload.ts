/** Reads one uploaded file: multipart field `file`, or the raw request body. */
import { fieldError, readCappedBytes } from '../http-errors.js';

/** Multipart framing allowed on top of the file itself. */
const MULTIPART_OVERHEAD_BYTES = 16 * 1024;

/** The uploaded bytes (null when no file was sent); 413 past `maxBytes`. */
export async function readUpload(request: Request, maxBytes: number): Promise<Uint8Array | null> {
	const tooLarge = () => fieldError('file', `at most ${maxBytes} bytes`, 'too_large', 413);
	const length = Number(request.headers.get('content-length') ?? '0');
	if (length > maxBytes + MULTIPART_OVERHEAD_BYTES) throw tooLarge();
	const type = request.headers.get('content-type') ?? '';
	if (/^multipart\/form-data/i.test(type)) return fileBytes((await readForm(request, tooLarge)).get('file'), maxBytes, tooLarge);
	const bytes = await readCappedBytes(request, maxBytes, tooLarge);
	return bytes.byteLength ? bytes : null;
}

/** A multipart body as a form; `tooLarge()` when SvelteKit cut it off at the upload limit. */
export async function readForm(request: Request, tooLarge: () => Error): Promise<FormData> {
	try {
		return await request.formData();
	} catch (error) {
		if ((error as { status?: number }).status === 413) throw tooLarge();
		throw fieldError('file', 'the form could not be read');
	}
}

/** The bytes of a form's file entry (null when absent or empty). */
export async function fileBytes(entry: FormDataEntryValue | null, maxBytes: number, tooLarge: () => Error): Promise<Uint8Array | null> {
	if (!entry || typeof entry === 'string' || entry.size === 0) return null;
	if (entry.size > maxBytes) throw tooLarge();
	return new Uint8Array(await entry.arrayBuffer());
}
