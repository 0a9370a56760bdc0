/**
 * What a pending media message's buttons do (cancel, retry), given by the chat view through
 * Svelte context so that the message list and rows in between need no new props.
 */
import { getContext, setContext } from 'svelte';

export interface UploadActions {
	cancel: (messageId: string) => void;
	retry: (messageId: string) => void;
}

const KEY = Symbol('upload-actions');

export const setUploadActions = (actions: UploadActions): UploadActions => setContext(KEY, actions);
export const getUploadActions = (): UploadActions | undefined => getContext<UploadActions | undefined>(KEY);
