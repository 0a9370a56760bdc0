/** Form actions: read a form with the API's zod rules, and turn an ApiError into `fail()`. */
import { fail, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { ApiError } from '../http-errors.js';
import { errorText } from '$lib/i18n/errors';

/** What a failed form action hands its page. `field` names the input at fault, when known. */
export interface FormFailure {
	error: string;
	field?: string;
	values?: Record<string, string>;
}

/** Validates a form's text fields (empty fields count as absent); 400 ApiError naming the field. */
export async function readForm<S extends z.ZodType>(event: Pick<RequestEvent, 'request'>, schema: S): Promise<{ data: z.output<S>; form: FormData }> {
	const form = await event.request.formData();
	const object: Record<string, string> = {};
	for (const [key, value] of form) if (typeof value === 'string' && value !== '') object[key] = value;
	const result = schema.safeParse(object);
	if (!result.success) {
		const issue = result.error.issues[0];
		const field = issue?.path.join('.') || 'form';
		throw new ApiError(400, 'invalid_input', `${field}: ${issue?.message ?? 'invalid'}`);
	}
	return { data: result.data, form };
}

/**
 * Runs an action body; an ApiError becomes `fail(status, {error, field, values})` with a localised
 * text. `values` echo what the person typed, except passwords, which are never sent back.
 */
export async function runAction<T>(fn: () => Promise<T>, values: Record<string, string> = {}): Promise<T | ActionFailure<FormFailure>> {
	try {
		return await fn();
	} catch (error) {
		if (!(error instanceof ApiError)) throw error;
		const field = /^([A-Za-z]+):/.exec(error.message)?.[1];
		return fail(error.status, { error: errorText(error), ...(field ? { field } : {}), values });
	}
}
