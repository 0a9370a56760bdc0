/** Form actions: read a form with the API's zod rules, and turn an ApiError into `fail()`. */
import { fail, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { ApiError, fieldError, invalidInput } from '../http-errors.js';
import { errorText } from '$lib/i18n/errors';

/** What a failed form action hands its page. `field` names the input at fault, when known. */
export interface FormFailure {
	error: string;
	code: string;
	field?: string;
	values?: Record<string, string>;
}

/** The form of a request; an unreadable one is a 400 (not a 500). */
export async function formOf(event: Pick<RequestEvent, 'request'>): Promise<FormData> {
	try {
		return await event.request.formData();
	} catch (error) {
		if ((error as { status?: number }).status === 413) throw new ApiError(413, 'too_large', 'The form is too large');
		throw new ApiError(400, 'invalid_input', 'The form could not be read');
	}
}

/** Validates a form's text fields (empty fields count as absent); 400 ApiError naming the field. */
export async function readForm<S extends z.ZodType>(
	event: Pick<RequestEvent, 'request'>,
	schema: S
): Promise<{ data: z.output<S>; form: FormData }> {
	const form = await formOf(event);
	const object: Record<string, string> = {};
	for (const [key, value] of form) {
		if (typeof value !== 'string' || value === '') continue;
		// PostgreSQL text cannot hold NUL: no field with one goes further, whatever the schema says.
		if (value.includes('\u0000') || key.includes('\u0000'))
			throw fieldError(key.replaceAll('\u0000', ''), 'must not contain control characters');
		object[key] = value;
	}
	const result = schema.safeParse(object);
	if (!result.success) throw invalidInput(result.error, 'form');
	return { data: result.data, form };
}

/**
 * Runs an action body; an ApiError becomes `fail(status, {error, code, field, values})` with a
 * localised text. `values` echo what the person typed, except passwords, which are never sent back.
 */
export async function runAction<T>(fn: () => Promise<T>, values: Record<string, string> = {}): Promise<T | ActionFailure<FormFailure>> {
	try {
		return await fn();
	} catch (error) {
		if (!(error instanceof ApiError)) throw error;
		return fail(error.status, { error: errorText(error), code: error.code, ...(error.field ? { field: error.field } : {}), values });
	}
}
