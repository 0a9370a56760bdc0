/** The client's typed API. */
export { ApiError, createHttp, type Http, type HttpOptions } from './http.js';
export { createApi, type Api, type ApiConversation, type ApiMessageHit, type ApiSearchParams, type ApiUser } from './resources.js';
export type {
	ApiContact,
	ApiBlocked,
	ApiMember,
	ApiInvite,
	ApiInviteLink,
	ApiInvitePreview,
	ApiSettings,
	NewConversation
} from './people.js';
export { createStickerApi, type StickerApi } from './stickers.js';
