/** Which person's profile card is open (one at a time, app-wide): set from anywhere a name is clicked. */
export class ProfileCardState {
	#userId = $state<string | null>(null);

	get userId(): string | null {
		return this.#userId;
	}
	open(userId: string): void {
		this.#userId = userId;
	}
	close(): void {
		this.#userId = null;
	}
}
