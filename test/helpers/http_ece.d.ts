// Types for http_ece 1.2.1 (it ships none): the one call the test push service makes.
declare module 'http_ece' {
	import type { ECDH } from 'node:crypto';
	const ece: {
		decrypt(buffer: Buffer, params: { version: 'aes128gcm'; privateKey: ECDH; authSecret: string | Buffer }): Buffer;
	};
	export default ece;
}
