// Any /api path no route claims: 404 in the API's error shape, whatever the method.
import type { RequestHandler } from './$types';
import { errorResponse } from '$lib/server/http-errors';

export const fallback: RequestHandler = ({ url, request }) =>
	errorResponse(404, 'not_found', `No API route ${request.method} ${url.pathname}`);
