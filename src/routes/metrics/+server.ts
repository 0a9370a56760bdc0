// GET /metrics → Prometheus text. 404 unless METRICS_TOKEN is set; then `Authorization: Bearer <token>` or 401.
import { errorResponse } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { isControlBearer } from '$lib/server/admin/control';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const rt = runtimeOf(event);
	if (!rt.metrics || !rt.config.metricsToken) return errorResponse(404, 'not_found', 'Metrics are off (set METRICS_TOKEN)');
	if (!isControlBearer(event.request.headers.get('authorization'), rt.config.metricsToken))
		return errorResponse(401, 'unauthenticated', 'Send Authorization: Bearer <METRICS_TOKEN>', {
			headers: { 'www-authenticate': 'Bearer' }
		});
	return new Response(await rt.metrics.render(), { headers: { 'content-type': rt.metrics.contentType, 'cache-control': 'no-store' } });
};
