// Readiness: the database answers a query.
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { runtimeOf } from '$lib/server/runtime';
import { errorResponse } from '$lib/server/http-errors';

export const GET: RequestHandler = async (event) => {
	try {
		await runtimeOf(event).db.query('select 1');
		return json({ status: 'ready', database: runtimeOf(event).db.kind });
	} catch (error) {
		event.locals.log.warn({ err: error }, 'readiness check failed');
		return errorResponse(503, 'database_unavailable', 'The database does not answer');
	}
};
