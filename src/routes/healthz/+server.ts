// Liveness: the process answers. Never touches the database.
import { json } from '@sveltejs/kit';

export const GET = () => json({ status: 'ok' });
