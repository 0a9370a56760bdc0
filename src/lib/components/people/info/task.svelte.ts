// One action of the info panel at a time: its sections share whether one runs and what failed.
import { failureText } from '../errors';
import type { ConversationInfoActions, InfoPeople, InfoView, MemberView } from '../types';

/** What the panel hands its sections (each takes the part it needs). */
export interface SectionProps {
	info: InfoView;
	members: MemberView[];
	people: InfoPeople;
	actions: ConversationInfoActions;
	task: PanelTask;
}

/** The panel's running action: `busy` while one runs, `error` the last failure's text. */
export class PanelTask {
	busy = $state(false);
	error = $state('');

	/** Runs `action`; true when it succeeded (its failure is shown as `error`). */
	async run(action: () => Promise<unknown>): Promise<boolean> {
		this.busy = true;
		this.error = '';
		try {
			await action();
			return true;
		} catch (e) {
			this.error = failureText(e);
			return false;
		} finally {
			this.busy = false;
		}
	}

	fail(text: string): void {
		this.error = text;
	}
}
