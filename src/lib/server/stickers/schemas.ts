/** Input schemas of the sticker routes; limits come from the configuration. */
import { z } from 'zod';
import type { Limits } from '../config.js';
import { textSchema } from '$lib/text';
import { ID_PATTERN } from '../conversations/schemas.js';
import { ApiError } from '../http-errors.js';
import { BUILTIN_PACK_ID } from '$lib/stickers/builtin';

/** A short emoji (or a few): what the sticker stands for. */
const EMOJI_MAX_LENGTH = 16;

/** `POST /api/stickers/packs`. */
export const createPackSchema = (limits: Limits) =>
	z.object({ title: textSchema({ max: limits.stickerTitleMaxLength, min: 1, name: true }) }).strict();

/** The text fields of `POST /api/stickers/packs/:id/stickers` (multipart). */
export const stickerFieldsSchema = (limits: Limits) =>
	z.object({
		name: textSchema({ max: limits.stickerTitleMaxLength, min: 1, name: true }),
		emoji: textSchema({ max: EMOJI_MAX_LENGTH, name: true }).optional()
	});

/** A pack id from a path: the built-in pack's or a server-issued one; anything else is a 404. */
export function packParam(raw: string | undefined): string {
	if (raw && (raw === BUILTIN_PACK_ID || ID_PATTERN.test(raw))) return raw;
	throw new ApiError(404, 'not_found', 'No such sticker pack');
}

/** A sticker id from a path (server-issued); anything else is a 404. */
export function stickerParam(raw: string | undefined): string {
	if (raw && ID_PATTERN.test(raw)) return raw;
	throw new ApiError(404, 'not_found', 'No such sticker');
}
